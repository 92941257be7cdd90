/**
 * The Web Bluetooth link to a real strap.
 *
 * - Every GATT call goes through one queue per link (core/heart-rate/gatt-queue): Chromium
 *   rejects a second operation while one is in flight, and each call gets a deadline because
 *   some stacks never answer.
 * - A disconnect invalidates every service and characteristic object (Web Bluetooth CG spec,
 *   "clean up the disconnected device"), so `connect()` looks them all up again every time.
 * - Body Sensor Location (HRS 1.0 §3.2) and the Battery Service (BAS 1.0) are optional: their
 *   absence is not an error.
 * - A device the browser already allows (getDevices(), after a reload) connects without a
 *   chooser. After a browser restart the adapter may not know it yet and gatt.connect() fails
 *   ("no longer in range"): then the link waits for one of its advertisements
 *   (device.watchAdvertisements(), 'advertisementreceived') and connects again, as the Web
 *   Bluetooth spec's getDevices() example does. Neither needs a user gesture.
 */
import {
  BATTERY_LEVEL_UUID,
  BATTERY_SERVICE_UUID,
  BODY_SENSOR_LOCATION_UUID,
  HEART_RATE_MEASUREMENT_UUID,
  HEART_RATE_SERVICE_UUID,
  createGattQueue,
  isGattOperationError,
  isHeartRateParseError,
  parseBatteryLevel,
  parseBodySensorLocation,
  type GattQueue,
} from '$core/heart-rate';
import type { ChooseOutcome, ChooseRequest, LinkListener, LinkOutcome, StrapLink } from './strap-link';
import type { Clock, StrapTimers } from './timers';

export interface WebBluetoothLinkOptions {
  timers: StrapTimers;
  clock: Clock;
  /** Deadline for one GATT operation after connect; default 10 s. */
  gattTimeoutMs?: number;
}

type Characteristic = BluetoothRemoteGATTCharacteristic;

export function createWebBluetoothLink(bluetooth: Bluetooth, options: WebBluetoothLinkOptions): StrapLink {
  const { clock } = options;
  const gattTimeoutMs = options.gattTimeoutMs ?? 10_000;
  let queue: GattQueue = newQueue();
  let listener: LinkListener | null = null;
  let device: BluetoothDevice | null = null;
  let measurement: Characteristic | null = null;
  let location: Characteristic | null = null;
  let battery: Characteristic | null = null;
  /** Set by disconnect(): the gattserverdisconnected that follows was asked for. */
  let expectingDisconnect = false;
  /** The device came from getDevices(), not from a chooser's fresh scan: the adapter may not know it yet. */
  let fromKnown = false;

  function newQueue(): GattQueue {
    return createGattQueue({ timers: options.timers, timeoutMs: gattTimeoutMs });
  }

  const onValue = (event: Event) => {
    const value = (event.target as Characteristic | null)?.value;
    if (value) listener?.measurement(value, clock.now());
  };
  const onBatteryValue = (event: Event) => {
    const value = (event.target as Characteristic | null)?.value;
    if (!value) return;
    const percent = parseBatteryLevel(value);
    if (!isHeartRateParseError(percent)) listener?.battery(percent);
  };
  const onDisconnected = () => {
    if (expectingDisconnect) return;
    // Objects from this link are dead; anything still queued would fail or hang.
    queue.cancelPending('the strap disconnected');
    queue = newQueue();
    listener?.disconnected();
  };

  function adopt(next: BluetoothDevice): ChooseOutcome {
    if (device !== next) {
      device?.removeEventListener('gattserverdisconnected', onDisconnected);
      next.addEventListener('gattserverdisconnected', onDisconnected);
      device = next;
    }
    return { type: 'chosen', device: { id: next.id, name: next.name?.trim() || 'Heart-rate strap' } };
  }

  function dropCharacteristics(): void {
    measurement?.removeEventListener('characteristicvaluechanged', onValue);
    battery?.removeEventListener('characteristicvaluechanged', onBatteryValue);
    measurement = location = battery = null;
  }

  async function known(id: string): Promise<BluetoothDevice | null> {
    if (typeof bluetooth.getDevices !== 'function') return null;
    try {
      return (await bluetooth.getDevices()).find((d) => d.id === id) ?? null;
    } catch {
      return null;
    }
  }

  async function optional<T>(label: string, op: () => Promise<T>): Promise<T | null> {
    try {
      return await queue.run(label, op);
    } catch {
      return null;
    }
  }

  async function readOptional(): Promise<void> {
    if (location) {
      const char = location;
      const value = await optional('readValue 0x2a38', () => char.readValue());
      const parsed = value ? parseBodySensorLocation(value) : null;
      if (parsed !== null && !isHeartRateParseError(parsed)) listener?.location(parsed);
    }
    if (battery) {
      const char = battery;
      const value = await optional('readValue 0x2a19', () => char.readValue());
      const parsed = value ? parseBatteryLevel(value) : null;
      if (parsed !== null && !isHeartRateParseError(parsed)) listener?.battery(parsed);
      if (char.properties?.notify) {
        char.addEventListener('characteristicvaluechanged', onBatteryValue);
        await optional('startNotifications 0x2a19', () => char.startNotifications());
      }
    }
  }

  /** Resolves at the device's next advertisement; rejects after `ms` or if watching fails. */
  function advertised(target: BluetoothDevice, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const abort = new AbortController();
      const finish = (error?: unknown) => {
        options.timers.clearTimeout(timer);
        target.removeEventListener('advertisementreceived', onAdvertisement);
        abort.abort();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAdvertisement = () => finish();
      const timer = options.timers.setTimeout(() => finish(new Error('The strap is not in range')), Math.max(1, ms));
      target.addEventListener('advertisementreceived', onAdvertisement);
      target.watchAdvertisements({ signal: abort.signal }).catch((error: unknown) => finish(error));
    });
  }

  return {
    kind: 'bluetooth',
    knowsDevices: typeof bluetooth.getDevices === 'function',
    setListener(next) {
      listener = next;
    },
    async findKnown(id) {
      return (await known(id)) !== null;
    },

    async choose(request: ChooseRequest): Promise<ChooseOutcome> {
      if (request.mode === 'known') {
        const found = await known(request.id);
        if (found) {
          fromKnown = true;
          return adopt(found);
        }
        if (request.fallbackName === undefined) return { type: 'cancelled', message: 'The remembered strap is not available' };
      }
      const name = request.mode === 'known' ? request.fallbackName : request.name;
      try {
        const chosen = await bluetooth.requestDevice({
          filters: [name ? { services: [HEART_RATE_SERVICE_UUID], name } : { services: [HEART_RATE_SERVICE_UUID] }],
          optionalServices: [BATTERY_SERVICE_UUID],
        });
        fromKnown = false;
        return adopt(chosen);
      } catch (error) {
        // NotFoundError: the user closed the chooser (or no strap was in range).
        const message = errorName(error) === 'NotFoundError' ? 'No strap was chosen' : errorMessage(error);
        return { type: 'cancelled', message };
      }
    },

    async connect(timeoutMs) {
      const target = device;
      const gatt = target?.gatt;
      if (!target || !gatt) return { ok: false, message: 'This device offers no GATT server', retryable: false };
      expectingDisconnect = false;
      dropCharacteristics();
      const deadline = clock.now() + Math.max(1, timeoutMs);
      try {
        let server: BluetoothRemoteGATTServer;
        try {
          server = await queue.run('connect', () => gatt.connect(), Math.max(1, timeoutMs));
        } catch (error) {
          // A device from getDevices() refused ("no longer in range"): perhaps the adapter has
          // not seen it since the browser started. One advertisement from it, and a connect can work.
          if (!fromKnown || errorName(error) !== 'NetworkError' || typeof target.watchAdvertisements !== 'function') throw error;
          await advertised(target, deadline - clock.now());
          server = await queue.run('connect', () => gatt.connect(), Math.max(1, deadline - clock.now()));
        }
        const service = await queue.run('getPrimaryService 0x180d', () => server.getPrimaryService(HEART_RATE_SERVICE_UUID));
        const hr = await queue.run('getCharacteristic 0x2a37', () => service.getCharacteristic(HEART_RATE_MEASUREMENT_UUID));
        const sensorLocation = await optional('getCharacteristic 0x2a38', () =>
          service.getCharacteristic(BODY_SENSOR_LOCATION_UUID),
        );
        const batteryService = await optional('getPrimaryService 0x180f', () => server.getPrimaryService(BATTERY_SERVICE_UUID));
        const level = batteryService
          ? await optional('getCharacteristic 0x2a19', () => batteryService.getCharacteristic(BATTERY_LEVEL_UUID))
          : null;
        measurement = hr;
        location = sensorLocation;
        battery = level;
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },

    async subscribe(): Promise<LinkOutcome> {
      const char = measurement;
      if (!char) return { ok: false, message: 'Not connected', retryable: true };
      char.addEventListener('characteristicvaluechanged', onValue);
      try {
        await queue.run('startNotifications 0x2a37', () => char.startNotifications());
      } catch (error) {
        return failure(error);
      }
      void readOptional();
      return { ok: true };
    },

    isConnected() {
      return device?.gatt?.connected === true;
    },

    disconnect() {
      expectingDisconnect = true;
      queue.cancelPending('disconnect requested');
      queue = newQueue();
      dropCharacteristics();
      try {
        device?.gatt?.disconnect();
      } catch {
        // Already gone.
      }
    },
  };
}

function failure(error: unknown): LinkOutcome {
  if (isGattOperationError(error)) {
    return { ok: false, message: error.code === 'timeout' ? `The strap did not answer (${error.operation})` : error.message, retryable: true };
  }
  const name = errorName(error);
  // NotFoundError here means the device has no Heart Rate Service: another try will not help.
  if (name === 'NotFoundError') return { ok: false, message: 'This device has no heart-rate service', retryable: false };
  if (name === 'SecurityError') return { ok: false, message: errorMessage(error), retryable: false };
  return { ok: false, message: errorMessage(error), retryable: true };
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
