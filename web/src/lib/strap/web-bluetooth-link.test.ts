import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkListener } from './strap-link';
import { browserTimers } from './timers';
import { createWebBluetoothLink } from './web-bluetooth-link';

/** A minimal navigator.bluetooth that records how many GATT calls overlap. */
function fakeBluetooth(opts: { hrService?: boolean; connect?: 'ok' | 'hang' } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  const gattCall = async <T>(value: T): Promise<T> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return value;
  };
  const notFound = () => Object.assign(new Error('No Services matching UUID'), { name: 'NotFoundError' });
  const hr = Object.assign(new EventTarget(), { value: null as DataView | null, startNotifications: () => gattCall(undefined), properties: { notify: true } });
  const battery = Object.assign(new EventTarget(), {
    readValue: () => gattCall(new DataView(new Uint8Array([64]).buffer)),
    properties: { notify: false },
  });
  const location = Object.assign(new EventTarget(), { readValue: () => gattCall(new DataView(new Uint8Array([1]).buffer)) });
  let connected = false;
  const server = {
    getPrimaryService: async (uuid: string) => {
      if (uuid.startsWith('0000180d') && opts.hrService !== false)
        return { getCharacteristic: async (c: string) => gattCall(c.startsWith('00002a37') ? hr : location) };
      if (uuid.startsWith('0000180f')) return gattCall({ getCharacteristic: async () => gattCall(battery) });
      await gattCall(null);
      throw notFound();
    },
  };
  const device = Object.assign(new EventTarget(), {
    id: 'd1',
    name: 'Wahoo TICKR',
    gatt: {
      get connected() {
        return connected;
      },
      connect: () => (opts.connect === 'hang' ? new Promise(() => undefined) : gattCall(server).then((s) => ((connected = true), s))),
      disconnect: () => {
        connected = false;
        device.dispatchEvent(new Event('gattserverdisconnected'));
      },
    },
  });
  const bluetooth = { requestDevice: vi.fn(async () => device) } as unknown as Bluetooth;
  return { bluetooth, device, hr, maxInFlight: () => maxInFlight };
}

function listener() {
  const seen = { values: [] as number[][], disconnected: 0, battery: null as number | null, location: null as string | null };
  const l: LinkListener = {
    measurement: (v) => seen.values.push(Array.from(new Uint8Array(v.buffer))),
    disconnected: () => seen.disconnected++,
    battery: (p) => (seen.battery = p),
    location: (loc) => (seen.location = loc),
  };
  return { l, seen };
}

describe('Web Bluetooth link', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs one GATT operation at a time, reads the optional characteristics and forwards notifications', async () => {
    const fake = fakeBluetooth();
    const link = createWebBluetoothLink(fake.bluetooth, { timers: browserTimers(), clock: { now: () => 1 } });
    const { l, seen } = listener();
    link.setListener(l);
    expect(await link.choose({ mode: 'chooser' })).toEqual({ type: 'chosen', device: { id: 'd1', name: 'Wahoo TICKR' } });
    const connecting = link.connect(5_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await connecting).toEqual({ ok: true });
    const subscribing = link.subscribe();
    await vi.advanceTimersByTimeAsync(100);
    expect(await subscribing).toEqual({ ok: true });
    expect(fake.maxInFlight()).toBe(1);
    expect(seen.battery).toBe(64);
    expect(seen.location).toBe('chest');

    fake.hr.value = new DataView(new Uint8Array([0, 70]).buffer);
    fake.hr.dispatchEvent(new Event('characteristicvaluechanged'));
    expect(seen.values).toEqual([[0, 70]]);

    // Asked-for disconnects are not reported; unexpected ones are.
    link.disconnect();
    expect(seen.disconnected).toBe(0);
    const again = link.connect(5_000);
    await vi.advanceTimersByTimeAsync(100);
    await again;
    fake.device.dispatchEvent(new Event('gattserverdisconnected'));
    expect(seen.disconnected).toBe(1);
  });

  it('times out a connect that hangs (retryable) and refuses a device without the Heart Rate service', async () => {
    const hang = fakeBluetooth({ connect: 'hang' });
    const link = createWebBluetoothLink(hang.bluetooth, { timers: browserTimers(), clock: { now: () => 1 } });
    await link.choose({ mode: 'chooser' });
    const pending = link.connect(1_000);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(await pending).toMatchObject({ ok: false, retryable: true });

    const noHr = fakeBluetooth({ hrService: false });
    const link2 = createWebBluetoothLink(noHr.bluetooth, { timers: browserTimers(), clock: { now: () => 1 } });
    await link2.choose({ mode: 'chooser' });
    const failed = link2.connect(5_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await failed).toEqual({ ok: false, message: 'This device has no heart-rate service', retryable: false });
  });

  it('narrows the chooser to a remembered name and asks for Battery as an optional service', async () => {
    const fake = fakeBluetooth();
    const link = createWebBluetoothLink(fake.bluetooth, { timers: browserTimers(), clock: { now: () => 1 } });
    expect(link.knowsDevices).toBe(false);
    await link.choose({ mode: 'known', id: 'd1', fallbackName: 'Wahoo TICKR' });
    expect(fake.bluetooth.requestDevice).toHaveBeenCalledWith({
      filters: [{ services: ['0000180d-0000-1000-8000-00805f9b34fb'], name: 'Wahoo TICKR' }],
      optionalServices: ['0000180f-0000-1000-8000-00805f9b34fb'],
    });
  });

  it('turns a closed chooser into a cancelled outcome', async () => {
    const bluetooth = {
      requestDevice: async () => {
        throw Object.assign(new Error('User cancelled the requestDevice() chooser.'), { name: 'NotFoundError' });
      },
    } as unknown as Bluetooth;
    const link = createWebBluetoothLink(bluetooth, { timers: browserTimers(), clock: { now: () => 1 } });
    expect(await link.choose({ mode: 'chooser' })).toEqual({ type: 'cancelled', message: 'No strap was chosen' });
  });

  it('after a browser restart, connects a getDevices() strap once one of its advertisements is seen', async () => {
    const fake = fakeBluetooth();
    let seen = false;
    const watch = { calls: 0, aborted: false };
    const realConnect = fake.device.gatt.connect;
    fake.device.gatt.connect = () => (seen ? realConnect() : Promise.reject(Object.assign(new Error('Bluetooth Device is no longer in range.'), { name: 'NetworkError' })));
    Object.assign(fake.device, {
      watchAdvertisements: async (o: { signal?: AbortSignal }) => {
        watch.calls++;
        o.signal?.addEventListener('abort', () => (watch.aborted = true));
        setTimeout(() => {
          seen = true;
          fake.device.dispatchEvent(new Event('advertisementreceived'));
        }, 300);
      },
    });
    Object.assign(fake.bluetooth, { getDevices: async () => [fake.device] });
    const link = createWebBluetoothLink(fake.bluetooth, { timers: browserTimers(), clock: { now: () => Date.now() } });
    expect(link.knowsDevices).toBe(true);
    expect(await link.choose({ mode: 'known', id: 'd1' })).toMatchObject({ type: 'chosen' });
    const connecting = link.connect(5_000);
    await vi.advanceTimersByTimeAsync(400);
    expect(await connecting).toEqual({ ok: true });
    expect(watch).toEqual({ calls: 1, aborted: true });
    expect(fake.bluetooth.requestDevice).not.toHaveBeenCalled();
  });

  it('gives up (retryable) when the remembered strap does not advertise before the deadline', async () => {
    const fake = fakeBluetooth();
    fake.device.gatt.connect = () => Promise.reject(Object.assign(new Error('Bluetooth Device is no longer in range.'), { name: 'NetworkError' }));
    Object.assign(fake.device, { watchAdvertisements: async () => undefined });
    Object.assign(fake.bluetooth, { getDevices: async () => [fake.device] });
    const link = createWebBluetoothLink(fake.bluetooth, { timers: browserTimers(), clock: { now: () => Date.now() } });
    await link.choose({ mode: 'known', id: 'd1' });
    const connecting = link.connect(2_000);
    await vi.advanceTimersByTimeAsync(2_100);
    expect(await connecting).toEqual({ ok: false, message: 'The strap is not in range', retryable: true });
  });

  it('a strap just picked in the chooser that refuses a connect fails at once (no wait for advertisements)', async () => {
    const fake = fakeBluetooth();
    fake.device.gatt.connect = () => Promise.reject(Object.assign(new Error('Connection failed for unknown reason.'), { name: 'NetworkError' }));
    const watch = vi.fn(async () => undefined);
    Object.assign(fake.device, { watchAdvertisements: watch });
    const link = createWebBluetoothLink(fake.bluetooth, { timers: browserTimers(), clock: { now: () => Date.now() } });
    await link.choose({ mode: 'chooser' });
    expect(await link.connect(2_000)).toEqual({ ok: false, message: 'Connection failed for unknown reason.', retryable: true });
    expect(watch).not.toHaveBeenCalled();
  });
});
