/**
 * An injected navigator.bluetooth for browser tests (stack-notes "Bluetooth without hardware"):
 * requestDevice returns a fake strap whose gatt.connect() → Heart Rate service → Heart Rate
 * Measurement characteristic, an EventTarget that sets `value` to a DataView and dispatches
 * 'characteristicvaluechanged'. Every connect makes new characteristic objects, as a real
 * disconnect invalidates the old ones. Driven from the test through `window.__fakeStrap`.
 *
 * As in the Web Bluetooth spec (and Chromium), where the test asks for it:
 * - requestDevice needs a user gesture (transient activation), else a SecurityError;
 * - getDevices() returns the devices this origin was allowed (by an earlier requestDevice, kept
 *   in the profile like a real permission, or `permitted` from the start), without a prompt;
 * - a device from getDevices() that the adapter has not seen since the browser started
 *   (`seenByAdapter: false`) cannot be connected ("no longer in range") until an advertisement
 *   from it arrives: device.watchAdvertisements() then 'advertisementreceived', after which
 *   gatt.connect() works; an AbortSignal stops the watch;
 * - `streamMs`: the strap sends a heart rate every `streamMs` on the wall clock, whether or not a
 *   page listens (a reload or a crashed page misses what it sent meanwhile); a new page's copy of
 *   the fake keeps the same grid.
 */
import type { Page } from 'playwright-core';

export interface FakeStrapOptions {
  id: string;
  name: string;
  /** Battery Level to report; null: no Battery Service. */
  battery: number | null;
  /** Body Sensor Location value; null: no such characteristic. */
  location: number | null;
  /** Offer navigator.bluetooth.getDevices() returning the strap once this origin was allowed it. */
  getDevices: boolean;
  /** The origin was allowed the strap before this page loaded (paired on an earlier visit). */
  permitted: boolean;
  /** With getDevices(), also offer device.watchAdvertisements() (Chromium offers both behind one flag). */
  watchAdvertisements: boolean;
  /** The adapter knows the strap (a reload, not a browser restart): gatt.connect() works at once. */
  seenByAdapter: boolean;
  /** Send a heart rate every this many ms on the wall clock; null: only `send()` sends. */
  streamMs: number | null;
  /** requestDevice() without a user gesture fails, as in browsers. */
  requireGesture: boolean;
}

export interface FakeStrapCounters {
  requestDeviceCalls: number;
  connectCalls: number;
  startNotificationsCalls: number;
  connected: boolean;
  failConnects: number;
  lastRequest: unknown;
  getDevicesCalls: number;
  watchAdvertisementsCalls: number;
  advertisementsSent: number;
  /** Notifications the stream delivered to this page, and the wall time of the last one. */
  streamed: number;
  firstStreamedAt: number | null;
  lastStreamedAt: number | null;
  /** Wall time of the first getDevices() and gatt.connect() calls on this page. */
  firstGetDevicesAt: number | null;
  firstConnectAt: number | null;
}

export const DEFAULT_FAKE_STRAP: FakeStrapOptions = {
  id: 'fake-strap-1',
  name: 'Fake H10',
  battery: 76,
  location: 1,
  getDevices: false,
  permitted: false,
  watchAdvertisements: true,
  seenByAdapter: true,
  streamMs: null,
  requireGesture: true,
};


/** The init script; runs in the page before any app code. */
function install(opts: FakeStrapOptions): void {
  const state = {
    requestDeviceCalls: 0,
    connectCalls: 0,
    startNotificationsCalls: 0,
    connected: false,
    failConnects: 0,
    lastRequest: null as unknown,
    getDevicesCalls: 0,
    watchAdvertisementsCalls: 0,
    advertisementsSent: 0,
    streamed: 0,
    firstStreamedAt: null as number | null,
    lastStreamedAt: null as number | null,
    firstGetDevicesAt: null as number | null,
    firstConnectAt: null as number | null,
  };
  const PERMITTED_KEY = '__fakeBluetooth.permitted';
  const permitted = () => opts.permitted || localStorage.getItem(PERMITTED_KEY) === opts.id;
  let seen = opts.seenByAdapter;
  const notFound = (what: string) => new DOMException(`No ${what} matching UUID`, 'NotFoundError');
  const is16 = (uuid: unknown, hex: string) => String(uuid).toLowerCase().startsWith(`0000${hex}`);

  class FakeCharacteristic extends EventTarget {
    value: DataView | null = null;
    notifying = false;
    constructor(
      readonly uuid: string,
      readonly properties: { read: boolean; notify: boolean },
      private readonly readBytes: number[] | null,
    ) {
      super();
    }
    async startNotifications() {
      if (!state.connected) throw new DOMException('GATT Server is disconnected.', 'NetworkError');
      state.startNotificationsCalls++;
      this.notifying = true;
      return this;
    }
    async stopNotifications() {
      this.notifying = false;
      return this;
    }
    async readValue() {
      if (!this.readBytes) throw new DOMException('read not permitted', 'NotSupportedError');
      this.value = new DataView(new Uint8Array(this.readBytes).buffer);
      return this.value;
    }
  }

  let hr: FakeCharacteristic | null = null;
  let location: FakeCharacteristic | null = null;
  let battery: FakeCharacteristic | null = null;
  const device = new EventTarget() as EventTarget & {
    id: string;
    name: string;
    gatt: unknown;
    watchingAdvertisements: boolean;
    watchAdvertisements?: (options?: { signal?: AbortSignal }) => Promise<void>;
  };
  device.id = opts.id;
  device.name = opts.name;
  device.watchingAdvertisements = false;
  const hrService = {
    uuid: '0000180d-0000-1000-8000-00805f9b34fb',
    async getCharacteristic(uuid: string) {
      if (is16(uuid, '2a37') && hr) return hr;
      if (is16(uuid, '2a38') && location) return location;
      throw notFound('Characteristics');
    },
  };
  const batteryService = {
    uuid: '0000180f-0000-1000-8000-00805f9b34fb',
    async getCharacteristic(uuid: string) {
      if (is16(uuid, '2a19') && battery) return battery;
      throw notFound('Characteristics');
    },
  };
  const server = {
    device,
    get connected() {
      return state.connected;
    },
    async getPrimaryService(uuid: string) {
      if (!state.connected) throw new DOMException('GATT Server is disconnected.', 'NetworkError');
      if (is16(uuid, '180d')) return hrService;
      if (is16(uuid, '180f') && opts.battery !== null) return batteryService;
      throw notFound('Services');
    },
    async connect() {
      state.connectCalls++;
      state.firstConnectAt ??= Date.now();
      await new Promise((r) => setTimeout(r, 20));
      if (!seen) throw new DOMException('Bluetooth Device is no longer in range.', 'NetworkError');
      if (state.failConnects > 0) {
        state.failConnects--;
        throw new DOMException('Connection failed for unknown reason.', 'NetworkError');
      }
      state.connected = true;
      hr = new FakeCharacteristic('00002a37-0000-1000-8000-00805f9b34fb', { read: false, notify: true }, null);
      location = opts.location === null ? null : new FakeCharacteristic('00002a38-0000-1000-8000-00805f9b34fb', { read: true, notify: false }, [opts.location]);
      battery = opts.battery === null ? null : new FakeCharacteristic('00002a19-0000-1000-8000-00805f9b34fb', { read: true, notify: false }, [opts.battery]);
      return server;
    },
    disconnect() {
      if (!state.connected) return;
      state.connected = false;
      device.dispatchEvent(new Event('gattserverdisconnected'));
    },
  };
  device.gatt = server;

  // Advertisements: the strap advertises every 100 ms while nobody is connected to it.
  let stopWatching: (() => void) | null = null;
  if (opts.getDevices && opts.watchAdvertisements) {
    device.watchAdvertisements = async (options: { signal?: AbortSignal } = {}) => {
      state.watchAdvertisementsCalls++;
      if (options.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      if (stopWatching) return;
      device.watchingAdvertisements = true;
      const timer = setInterval(() => {
        if (state.connected) return;
        seen = true;
        state.advertisementsSent++;
        const event = Object.assign(new Event('advertisementreceived', { bubbles: true }), { device, name: opts.name, rssi: -60, txPower: 0, uuids: ['0000180d-0000-1000-8000-00805f9b34fb'] });
        device.dispatchEvent(event);
      }, 100);
      stopWatching = () => {
        clearInterval(timer);
        device.watchingAdvertisements = false;
        stopWatching = null;
      };
      options.signal?.addEventListener('abort', () => stopWatching?.());
    };
  }

  const bluetooth: Record<string, unknown> = {
    async requestDevice(options: unknown) {
      state.requestDeviceCalls++;
      state.lastRequest = options;
      if (opts.requireGesture && !navigator.userActivation.isActive) {
        throw new DOMException('Must be handling a user gesture to show a permission request.', 'SecurityError');
      }
      localStorage.setItem(PERMITTED_KEY, opts.id);
      seen = true;
      return device;
    },
    async getAvailability() {
      return true;
    },
  };
  if (opts.getDevices) {
    bluetooth.getDevices = async () => {
      state.getDevicesCalls++;
      state.firstGetDevicesAt ??= Date.now();
      return permitted() ? [device] : [];
    };
  }
  Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => bluetooth });

  /** Notifies only a page that has notifications started, as a real strap's notifications do. */
  function deliver(bytes: number[]): boolean {
    if (!state.connected || !hr?.notifying) return false;
    hr.value = new DataView(new Uint8Array(bytes).buffer);
    hr.dispatchEvent(new Event('characteristicvaluechanged'));
    return true;
  }

  if (opts.streamMs !== null) {
    const period = opts.streamMs;
    const beat = () => {
      const t = Date.now();
      if (deliver([0x00, 120 + (Math.floor(t / period) % 20)])) {
        state.streamed++;
        state.firstStreamedAt ??= t;
        state.lastStreamedAt = t;
      }
      // The next slot of the wall-clock grid, so every page's copy sends at the same instants.
      setTimeout(beat, period - (Date.now() % period));
    };
    setTimeout(beat, period - (Date.now() % period));
  }

  (window as unknown as { __fakeStrap: unknown }).__fakeStrap = {
    state,
    /** Delivers one notification; false when nobody is subscribed. */
    send: deliver,
    /** The strap walks out of range: an unexpected disconnect. */
    drop() {
      state.connected = false;
      if (hr) hr.notifying = false;
      device.dispatchEvent(new Event('gattserverdisconnected'));
    },
  };
}

/** On one page, or on every page of a context (a page opened after a crash gets it too). */
export async function installFakeBluetooth(target: Pick<Page, 'addInitScript'>, options: Partial<FakeStrapOptions> = {}): Promise<void> {
  await target.addInitScript(install, { ...DEFAULT_FAKE_STRAP, ...options });
}

export async function removeBluetooth(page: Page): Promise<void> {
  await page.addInitScript(() => {
    // As in Firefox and Safari: no Web Bluetooth at all.
    delete (Navigator.prototype as unknown as Record<string, unknown>).bluetooth;
    delete (navigator as unknown as Record<string, unknown>).bluetooth;
  });
}

export function sendPacket(page: Page, bytes: number[]): Promise<boolean> {
  return page.evaluate((b) => (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap.send(b), bytes);
}

export function fakeCounters(page: Page): Promise<FakeStrapCounters> {
  return page.evaluate(() => {
    const { state } = (window as unknown as { __fakeStrap: { state: FakeStrapCounters } }).__fakeStrap;
    return { ...state };
  });
}
