/**
 * An injected navigator.bluetooth for browser tests (stack-notes "Bluetooth without hardware"):
 * requestDevice returns a fake strap whose gatt.connect() → Heart Rate service → Heart Rate
 * Measurement characteristic, an EventTarget that sets `value` to a DataView and dispatches
 * 'characteristicvaluechanged'. Every connect makes new characteristic objects, as a real
 * disconnect invalidates the old ones. Driven from the test through `window.__fakeStrap`.
 */
import type { Page } from 'playwright-core';

export interface FakeStrapOptions {
  id: string;
  name: string;
  /** Battery Level to report; null: no Battery Service. */
  battery: number | null;
  /** Body Sensor Location value; null: no such characteristic. */
  location: number | null;
  /** Offer navigator.bluetooth.getDevices() returning the strap (as a permitted device). */
  getDevices: boolean;
}

export interface FakeStrapCounters {
  requestDeviceCalls: number;
  connectCalls: number;
  startNotificationsCalls: number;
  connected: boolean;
  failConnects: number;
  lastRequest: unknown;
}

export const DEFAULT_FAKE_STRAP: FakeStrapOptions = { id: 'fake-strap-1', name: 'Fake H10', battery: 76, location: 1, getDevices: false };

/** The init script; runs in the page before any app code. */
function install(opts: FakeStrapOptions): void {
  const state = {
    requestDeviceCalls: 0,
    connectCalls: 0,
    startNotificationsCalls: 0,
    connected: false,
    failConnects: 0,
    lastRequest: null as unknown,
  };
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
  const device = new EventTarget() as EventTarget & { id: string; name: string; gatt: unknown };
  device.id = opts.id;
  device.name = opts.name;
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
      await new Promise((r) => setTimeout(r, 20));
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

  const bluetooth: Record<string, unknown> = {
    async requestDevice(options: unknown) {
      state.requestDeviceCalls++;
      state.lastRequest = options;
      return device;
    },
    async getAvailability() {
      return true;
    },
  };
  if (opts.getDevices) bluetooth.getDevices = async () => [device];
  Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => bluetooth });

  (window as unknown as { __fakeStrap: unknown }).__fakeStrap = {
    state,
    /** Delivers one notification; false when nobody is subscribed. */
    send(bytes: number[]) {
      if (!state.connected || !hr?.notifying) return false;
      hr.value = new DataView(new Uint8Array(bytes).buffer);
      hr.dispatchEvent(new Event('characteristicvaluechanged'));
      return true;
    },
    /** The strap walks out of range: an unexpected disconnect. */
    drop() {
      state.connected = false;
      if (hr) hr.notifying = false;
      device.dispatchEvent(new Event('gattserverdisconnected'));
    },
  };
}

export async function installFakeBluetooth(page: Page, options: Partial<FakeStrapOptions> = {}): Promise<void> {
  await page.addInitScript(install, { ...DEFAULT_FAKE_STRAP, ...options });
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
