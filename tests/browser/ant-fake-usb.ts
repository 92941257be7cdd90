/**
 * A fake USB ANT stick: a test double of the DEVICE (not of our code), reached through an
 * injected `navigator.usb`. It speaks the ANT serial protocol over its bulk endpoints as a
 * Dynastream ANTUSB2 / ANTUSB-m does: it answers the host's configuration messages with channel
 * responses (0x40) and a startup message (0x6F) after a reset, refuses what a stick refuses
 * (INVALID_MESSAGE), and once a receive channel or scan mode is open on the ANT+ heart-rate
 * settings with the network key it was given, broadcasts the heart-rate pages of N simulated
 * straps at ~4 Hz (8070/32768 s), with the channel id (and RSSI) appended as lib config asks.
 * Bytes leave in transfers of at most the requested length, so messages are split and packed
 * as on a real bus.
 *
 * `createFakeAntUsb` is self-contained (no imports, no outer references): the browser gets it
 * as source text (installFakeAntUsb), and Node unit tests call it directly.
 */
import type { Page } from 'playwright-core';

export interface FakeStrap {
  deviceNumber: number;
  transmissionType?: number;
  bpm: number;
  /** Battery level % sent on page 7. */
  battery?: number;
  rssi?: number;
  /** A legacy strap: never toggles, bytes 0-3 not paged. */
  legacy?: boolean;
}

export interface FakeAntUsbOptions {
  vendorId: number;
  productId: number;
  productName: string;
  /** The network key (16 hex digits) the simulated straps are on: made up in tests. */
  networkKeyHex: string;
  straps: FakeStrap[];
  /** Message period; the real one is 8070/32768 s. */
  periodMs?: number;
  /** Page-4 blocks (of 4 messages) between background-page blocks; ANT+ straps use ~16. */
  backgroundEvery?: number;
  /** false: lib config asking for RSSI is refused, as by a stick without RSSI. */
  supportsRssi?: boolean;
  /** The user has already allowed this device (getDevices returns it). */
  permitted?: boolean;
}

export interface FakeAntControl {
  stopStrap(deviceNumber: number): void;
  startStrap(deviceNumber: number): void;
  setBpm(deviceNumber: number, bpm: number): void;
  unplug(): void;
  /** Ids of the host messages received, in order. */
  hostMessageIds(): number[];
  broadcastsSent(): number;
  requestDeviceCalls(): number;
}

export function createFakeAntUsb(opts: FakeAntUsbOptions) {
  const periodMs = opts.periodMs ?? (8070 / 32768) * 1000;
  const backgroundEvery = opts.backgroundEvery ?? 16;
  const expectedKey = opts.networkKeyHex.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  const seenHostIds: number[] = [];
  let broadcasts = 0;
  let requestDeviceCalls = 0;

  const frame = (id: number, payload: number[]) => {
    const bytes = [0xa4, payload.length, id, ...payload];
    let x = 0;
    for (const b of bytes) x ^= b;
    bytes.push(x);
    return bytes;
  };

  // ---- bytes to the host -------------------------------------------------------------------
  let out: number[] = [];
  let pendingIn: { length: number; resolve: (r: unknown) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    while (pendingIn.length > 0 && out.length > 0) {
      const t = pendingIn.shift()!;
      const chunk = out.splice(0, t.length);
      t.resolve({ status: 'ok', data: new DataView(Uint8Array.from(chunk).buffer) });
    }
  };
  const send = (bytes: number[]) => {
    out.push(...bytes);
    queueMicrotask(flush);
  };

  // ---- the simulated radio -----------------------------------------------------------------
  interface StrapSim {
    cfg: FakeStrap;
    on: boolean;
    msgIndex: number;
    count: number;
    last: number;
    prev: number;
    next: number;
    ticks0: number;
  }
  const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  const straps: StrapSim[] = opts.straps.map((cfg, i) => ({ cfg, on: true, msgIndex: i % 4, count: 0, last: 0, prev: 0, next: 0, ticks0: now() }));
  const radio = {
    key: null as string | null,
    assigned: false,
    deviceType: -1,
    freq: 66,
    open: false,
    libFlags: 0,
  };
  let timer: ReturnType<typeof setInterval> | null = null;

  const strapPage = (s: StrapSim): number[] => {
    // Beat clock in 1/1024 s, started one 16-bit period in so the history below stays positive.
    const ticksNow = ((now() - s.ticks0) * 1024) / 1000 + 65536;
    if (s.next === 0) {
      // The wearer's heart was beating before the hub listened: a history of two beats.
      const rr = (60 / s.cfg.bpm) * 1024;
      s.last = ticksNow - rr * 0.5;
      s.prev = s.last - rr;
      s.count = 1 + (s.cfg.deviceNumber % 200);
      s.next = s.last + rr;
    }
    while (s.next <= ticksNow) {
      s.prev = s.last;
      s.last = s.next;
      s.count++;
      s.next += (60 / s.cfg.bpm) * 1024;
    }
    const i = s.msgIndex++;
    const block = Math.floor(i / 4);
    const toggle = s.cfg.legacy ? 0 : block % 2;
    let page = 4;
    if (block % (backgroundEvery + 1) === backgroundEvery) page = [7, 2, 3, 1][Math.floor(block / (backgroundEvery + 1)) % 4]!;
    const last = Math.round(s.last) & 0xffff;
    const prev = Math.round(s.prev) & 0xffff;
    let b1 = 0xff;
    let b2 = 0xff;
    let b3 = 0xff;
    if (s.cfg.legacy) [b1, b2, b3] = [0, 0, 0];
    else if (page === 4) [b1, b2, b3] = [0x00, prev & 0xff, prev >> 8];
    else if (page === 7) [b1, b2, b3] = [s.cfg.battery ?? 0xff, 0x80, 0x20 | 3];
    else if (page === 2) [b1, b2, b3] = [255, s.cfg.deviceNumber & 0xff, s.cfg.deviceNumber >> 8];
    else if (page === 3) [b1, b2, b3] = [1, 2, 3];
    else if (page === 1) [b1, b2, b3] = [100, 0, 0];
    const byte0 = s.cfg.legacy ? 0 : (toggle << 7) | page;
    return [byte0, b1, b2, b3, last & 0xff, last >> 8, s.count & 0xff, Math.round(s.cfg.bpm) & 0xff];
  };

  const tick = () => {
    for (const s of straps) {
      if (!s.on) continue;
      const payload = [0, ...strapPage(s)];
      if (radio.libFlags !== 0) {
        payload.push(radio.libFlags);
        if (radio.libFlags & 0x80) payload.push(s.cfg.deviceNumber & 0xff, s.cfg.deviceNumber >> 8, 120, s.cfg.transmissionType ?? 1);
        if (radio.libFlags & 0x40) payload.push(0x20, (s.cfg.rssi ?? -60) & 0xff, 0x00);
        if (radio.libFlags & 0x20) {
          const ts = Math.round((now() * 32768) / 1000) & 0xffff;
          payload.push(ts & 0xff, ts >> 8);
        }
      }
      broadcasts++;
      send(frame(0x4e, payload));
    }
  };

  const stopRadio = () => {
    radio.open = false;
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const startRadio = () => {
    radio.open = true;
    // Silence unless the host tuned to the straps: same key, ANT+ frequency, HR or wildcard type.
    const tuned = radio.key === expectedKey && radio.freq === 57 && (radio.deviceType === 120 || radio.deviceType === 0);
    if (tuned && timer === null) timer = setInterval(tick, periodMs);
  };

  const respond = (ch: number, id: number, code: number) => send(frame(0x40, [ch, id, code]));

  const handle = (id: number, p: number[]) => {
    seenHostIds.push(id);
    const ch = p[0] ?? 0;
    const need = (n: number) => {
      if (p.length === n) return true;
      respond(ch, id, 0x28);
      return false;
    };
    switch (id) {
      case 0x4a: // reset system
        stopRadio();
        radio.key = null;
        radio.assigned = false;
        radio.libFlags = 0;
        radio.deviceType = -1;
        radio.freq = 66;
        setTimeout(() => send(frame(0x6f, [0x20])), 5);
        return;
      case 0x46: // set network key
        if (!need(9)) return;
        radio.key = p
          .slice(1)
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('');
        return respond(ch, id, 0);
      case 0x42: // assign channel
        if (p.length < 3) return respond(ch, id, 0x28);
        radio.assigned = true;
        return respond(ch, id, 0);
      case 0x51: // channel id
        if (!need(5)) return;
        radio.deviceType = p[3]!;
        return respond(ch, id, 0);
      case 0x43: // channel period
        if (!need(3)) return;
        return respond(ch, id, 0);
      case 0x45: // RF frequency
        if (!need(2)) return;
        radio.freq = p[1]!;
        return respond(ch, id, 0);
      case 0x44:
      case 0x63:
        return respond(ch, id, 0);
      case 0x6e: // lib config
        if (!need(2)) return;
        if (p[1]! & 0x40 && opts.supportsRssi === false) return respond(ch, id, 0x28);
        radio.libFlags = p[1]!;
        return respond(ch, id, 0);
      case 0x66: // enable extended rx messages (legacy)
        if (!need(2)) return;
        radio.libFlags = p[1] ? 0x80 : 0;
        return respond(ch, id, 0);
      case 0x4b: // open channel
      case 0x5b: // open rx scan mode
        if (!radio.assigned && id === 0x4b) return respond(ch, id, 0x15);
        if (radio.open) return respond(ch, id, 0x15);
        respond(ch, id, 0);
        return startRadio();
      case 0x4c: // close channel
        respond(ch, id, 0);
        stopRadio();
        return send(frame(0x40, [ch, 0x01, 0x07]));
      case 0x4d: // request message
        if (p[1] === 0x51) return send(frame(0x51, [ch, 0, 0, radio.deviceType < 0 ? 0 : radio.deviceType, 0]));
        if (p[1] === 0x54) return send(frame(0x54, [8, 3, 0x0a, 0x00, 0x3f, 0x00]));
        if (p[1] === 0x61) return send(frame(0x61, [0x78, 0x56, 0x34, 0x12]));
        return respond(ch, id, 0x28);
      default:
        return respond(ch, id, 0x28);
    }
  };

  // ---- bytes from the host ------------------------------------------------------------------
  let inBuf: number[] = [];
  const receive = (bytes: number[]) => {
    inBuf.push(...bytes);
    for (;;) {
      const start = inBuf.indexOf(0xa4);
      if (start < 0) {
        inBuf = [];
        return;
      }
      if (start > 0) inBuf = inBuf.slice(start);
      if (inBuf.length < 2) return;
      const total = inBuf[1]! + 4;
      if (inBuf.length < total) return;
      let x = 0;
      for (let i = 0; i < total - 1; i++) x ^= inBuf[i]!;
      if (x !== inBuf[total - 1]) {
        send(frame(0xae, [0x02])); // serial error: bad checksum
        inBuf = inBuf.slice(1);
        continue;
      }
      const id = inBuf[2]!;
      const payload = inBuf.slice(3, total - 1);
      inBuf = inBuf.slice(total);
      handle(id, payload);
    }
  };

  // ---- the WebUSB surface ---------------------------------------------------------------------
  const gone = () => new DOMException('The device was disconnected.', 'NotFoundError');
  const inEndpoint = { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 };
  const outEndpoint = { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 };
  const iface = { interfaceNumber: 0, claimed: false, alternate: { alternateSetting: 0, interfaceClass: 0xff, endpoints: [inEndpoint, outEndpoint] }, alternates: [] as unknown[] };
  iface.alternates = [iface.alternate];
  const configuration = { configurationValue: 1, configurationName: null, interfaces: [iface] };
  let plugged = true;
  const device = {
    vendorId: opts.vendorId,
    productId: opts.productId,
    productName: opts.productName,
    manufacturerName: 'Dynastream Innovations',
    serialNumber: '123',
    opened: false,
    configuration: null as typeof configuration | null,
    configurations: [configuration],
    async open() {
      if (!plugged) throw gone();
      device.opened = true;
    },
    async close() {
      device.opened = false;
      iface.claimed = false;
      stopRadio();
      const waiting = pendingIn;
      pendingIn = [];
      for (const t of waiting) t.reject(new DOMException('The transfer was cancelled.', 'AbortError'));
    },
    async selectConfiguration(value: number) {
      if (!device.opened) throw new DOMException('The device must be opened first.', 'InvalidStateError');
      if (value !== 1) throw new DOMException('The configuration value provided is not supported.', 'NotFoundError');
      device.configuration = configuration;
    },
    async claimInterface(n: number) {
      if (!device.configuration || n !== 0) throw new DOMException('The interface number provided is not supported.', 'NotFoundError');
      iface.claimed = true;
    },
    async releaseInterface() {
      iface.claimed = false;
    },
    async clearHalt() {},
    async transferOut(endpoint: number, data: BufferSource) {
      if (!plugged) throw gone();
      if (!iface.claimed || endpoint !== 1) throw new DOMException('The specified endpoint is not part of a claimed and selected alternate interface.', 'NotFoundError');
      const bytes = Array.from(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      receive(bytes);
      return { status: 'ok', bytesWritten: bytes.length };
    },
    transferIn(endpoint: number, length: number) {
      if (!plugged) return Promise.reject(gone());
      if (!iface.claimed || endpoint !== 1) return Promise.reject(new DOMException('The specified endpoint is not part of a claimed and selected alternate interface.', 'NotFoundError'));
      return new Promise((resolve, reject) => {
        pendingIn.push({ length, resolve, reject });
        flush();
      });
    },
  };

  let permitted = opts.permitted ?? false;
  const usb = new EventTarget() as EventTarget & {
    requestDevice(o: { filters: { vendorId?: number; productId?: number }[] }): Promise<typeof device>;
    getDevices(): Promise<(typeof device)[]>;
  };
  usb.requestDevice = async (o) => {
    requestDeviceCalls++;
    const match = (o?.filters ?? []).some((f) => (f.vendorId === undefined || f.vendorId === device.vendorId) && (f.productId === undefined || f.productId === device.productId));
    if (!plugged || !match) throw new DOMException('No device selected.', 'NotFoundError');
    permitted = true;
    return device;
  };
  usb.getDevices = async () => (plugged && permitted ? [device] : []);

  const control: FakeAntControl = {
    stopStrap: (n) => straps.filter((s) => s.cfg.deviceNumber === n).forEach((s) => (s.on = false)),
    startStrap: (n) => straps.filter((s) => s.cfg.deviceNumber === n).forEach((s) => (s.on = true)),
    setBpm: (n, bpm) => straps.filter((s) => s.cfg.deviceNumber === n).forEach((s) => (s.cfg.bpm = bpm)),
    unplug: () => {
      plugged = false;
      stopRadio();
      const waiting = pendingIn;
      pendingIn = [];
      for (const t of waiting) t.reject(gone());
      const ev = new Event('disconnect') as Event & { device?: unknown };
      ev.device = device;
      usb.dispatchEvent(ev);
    },
    hostMessageIds: () => [...seenHostIds],
    broadcastsSent: () => broadcasts,
    requestDeviceCalls: () => requestDeviceCalls,
  };
  return { usb, device, control };
}

export const FAKE_ANTUSB_M = { vendorId: 0x0fcf, productId: 0x1009, productName: 'ANT USB-m Stick' } as const;
export const FAKE_ANTUSB2 = { vendorId: 0x0fcf, productId: 0x1008, productName: 'ANT USBStick2' } as const;
/** A made-up key: the real ANT+ key is licensed and never in this repository. */
export const TEST_NETWORK_KEY = '0123456789ABCDEF';

/** N straps with distinct 4-digit device numbers. */
export function fakeStraps(n: number): FakeStrap[] {
  return Array.from({ length: n }, (_, i) => ({ deviceNumber: 4800 + i * 7, bpm: 70 + i * 3, battery: 100 - i * 2, rssi: -50 - i }));
}

/** Injects the fake as navigator.usb before any page script; the control is window.__fakeAnt. */
export async function installFakeAntUsb(page: Page, opts: FakeAntUsbOptions): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const create = ${createFakeAntUsb.toString()};
      const fake = create(${JSON.stringify(opts)});
      Object.defineProperty(navigator, 'usb', { value: fake.usb, configurable: true });
      window.__fakeAnt = fake.control;
    })();`,
  });
}

type FakeKey = keyof FakeAntControl;
/** Calls a control of the injected fake in the page. */
export async function fakeAnt<K extends FakeKey>(page: Page, name: K, ...args: Parameters<FakeAntControl[K]>): Promise<ReturnType<FakeAntControl[K]>> {
  return page.evaluate(
    ([n, a]) => {
      const c = (window as unknown as { __fakeAnt: Record<string, (...x: unknown[]) => unknown> }).__fakeAnt;
      return c[n as string]!(...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<ReturnType<FakeAntControl[K]>>;
}
