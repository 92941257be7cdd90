/**
 * The ANT stick adapter: a USB ANT stick over WebUSB, set to continuous scan mode for ANT+
 * heart-rate straps, streaming one decoded reading per strap message. The protocol itself is pure
 * code in $core/ant; this file only moves bytes through the stick's bulk endpoints.
 *
 * Supported sticks (USB ids as listed by `lsusb` and used by open-source ANT hosts, e.g.
 * libAnt's USBDriver(vid=0x0FCF, pid=0x1008), and Linux's usb.ids "Dynastream Innovations"):
 *   0x0fcf:0x1008  Dynastream ANTUSB2 Stick (also sold as Garmin USB ANT Stick)
 *   0x0fcf:0x1009  Dynastream ANTUSB-m Stick (also sold as Garmin mini / CYCPLUS / Suunto Movestick Mini)
 * Both are vendor-class devices with one interface and a pair of bulk endpoints. The first
 * ANTUSB (0x0fcf:0x1004) sits behind a USB-serial bridge chip and is not supported.
 */
import {
  AntError,
  AntFrameDecoder,
  ChannelCode,
  HrScanner,
  LibConfig,
  MessageId,
  hostMessages,
  parseChannelEvent,
  scanModeSetup,
  type AntMessage,
  type StrapReading,
} from '$core/ant';
import type { UsbDeviceLike, UsbLike } from './webusb';

export interface AntStickModel {
  vendorId: number;
  productId: number;
  model: string;
}

export const SUPPORTED_ANT_STICKS: readonly AntStickModel[] = [
  { vendorId: 0x0fcf, productId: 0x1008, model: 'ANTUSB2' },
  { vendorId: 0x0fcf, productId: 0x1009, model: 'ANTUSB-m' },
];

export interface AntHrReading {
  /** 20-bit key: device number + transmission-type nibble. */
  key: number;
  deviceNumber: number;
  bpm: number | null;
  rrMs: number[];
  /** Battery %, once the strap has sent it (page 7); null when it says "not reported". */
  battery?: number | null;
  /** dBm, when the stick reports RSSI. */
  rssi?: number;
  /** Host time (ms since epoch) the message arrived. */
  at: number;
}

export type AntStickState = 'idle' | 'configuring' | 'scanning' | 'lost' | 'stopped';

/** What the hub sees of any ANT source (a real stick, or later a bench's generator). */
export interface AntHeartRateSource {
  readonly model: string;
  readonly state: AntStickState;
  start(onReading: (r: AntHrReading) => void, onState?: (s: AntStickState, error?: AntError) => void): Promise<void>;
  stop(): Promise<void>;
}

export interface AntUsbOptions {
  networkKey: Uint8Array;
  now?: () => number;
  commandTimeoutMs?: number;
}

export function stickModel(device: { vendorId: number; productId: number }): AntStickModel | null {
  return SUPPORTED_ANT_STICKS.find((s) => s.vendorId === device.vendorId && s.productId === device.productId) ?? null;
}

/** Opens the browser's chooser, filtered to the supported sticks. */
export async function requestAntStick(usb: UsbLike | null, opts: AntUsbOptions): Promise<AntUsbStick> {
  if (!usb) throw new AntError('ant_stick_unavailable', 'This browser has no WebUSB: use Chrome or Edge on a computer or an Android tablet.');
  let device: UsbDeviceLike;
  try {
    device = await usb.requestDevice({ filters: SUPPORTED_ANT_STICKS.map(({ vendorId, productId }) => ({ vendorId, productId })) });
  } catch (e) {
    throw new AntError('ant_stick_unavailable', e instanceof Error && e.name === 'NotFoundError' ? 'No ANT USB stick was chosen.' : `The ANT USB stick could not be chosen: ${String(e)}`);
  }
  return new AntUsbStick(device, opts);
}

/** Sticks this browser was already allowed to use: no chooser needed. */
export async function knownAntSticks(usb: UsbLike | null, opts: AntUsbOptions): Promise<AntUsbStick[]> {
  if (!usb) return [];
  const devices = await usb.getDevices();
  return devices.filter((d) => stickModel(d)).map((d) => new AntUsbStick(d, opts));
}

interface Waiter {
  match: (m: AntMessage) => boolean;
  resolve: (m: AntMessage) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class AntUsbStick implements AntHeartRateSource {
  readonly model: string;
  state: AntStickState = 'idle';
  private readonly decoder = new AntFrameDecoder();
  readonly scanner = new HrScanner();
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private inEp = 1;
  private outEp = 1;
  private packetSize = 64;
  private running = false;
  private waiters: Waiter[] = [];
  private onReading: (r: AntHrReading) => void = () => {};
  private onState: (s: AntStickState, error?: AntError) => void = () => {};
  /** Lib config flags the stick accepted. */
  extendedFlags = 0;

  constructor(
    readonly device: UsbDeviceLike,
    private readonly opts: AntUsbOptions,
  ) {
    this.model = stickModel(device)?.model ?? `USB ${device.vendorId.toString(16)}:${device.productId.toString(16)}`;
    this.now = opts.now ?? (() => Date.now());
    this.timeoutMs = opts.commandTimeoutMs ?? 2000;
  }

  get decoderStats() {
    return this.decoder.stats;
  }

  async start(onReading: (r: AntHrReading) => void, onState?: (s: AntStickState, error?: AntError) => void): Promise<void> {
    this.onReading = onReading;
    this.onState = onState ?? (() => {});
    this.setState('configuring');
    try {
      await this.openDevice();
      this.running = true;
      void this.readLoop();
      await this.configure();
      this.setState('scanning');
    } catch (e) {
      const err = e instanceof AntError ? e : new AntError('ant_stick_failed', `The ANT USB stick failed: ${String(e)}`);
      await this.shutdown('lost', err);
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.running) {
      try {
        await this.device.transferOut(this.outEp, hostMessages.closeChannel(0));
      } catch {
        // the stick may already be gone
      }
    }
    await this.shutdown('stopped');
  }

  private setState(s: AntStickState, error?: AntError) {
    this.state = s;
    this.onState(s, error);
  }

  private async shutdown(state: AntStickState, error?: AntError) {
    this.running = false;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error ?? new AntError('ant_stick_unavailable', 'The ANT USB stick was closed.'));
    }
    try {
      if (this.device.opened) await this.device.close();
    } catch {
      // already closed or unplugged
    }
    this.setState(state, error);
  }

  private async openDevice() {
    const d = this.device;
    if (!d.opened) await d.open();
    if (!d.configuration) await d.selectConfiguration(1);
    const iface = d.configuration?.interfaces.find((i) => {
      const eps = i.alternate?.endpoints ?? [];
      return eps.some((e) => e.type === 'bulk' && e.direction === 'in') && eps.some((e) => e.type === 'bulk' && e.direction === 'out');
    });
    if (!iface) throw new AntError('ant_stick_failed', 'The USB device has no bulk endpoints: not an ANT stick this hub supports.');
    const eps = iface.alternate!.endpoints;
    const inEp = eps.find((e) => e.type === 'bulk' && e.direction === 'in')!;
    this.inEp = inEp.endpointNumber;
    this.packetSize = inEp.packetSize || 64;
    this.outEp = eps.find((e) => e.type === 'bulk' && e.direction === 'out')!.endpointNumber;
    await d.claimInterface(iface.interfaceNumber);
  }

  private async configure() {
    // Reset; the stick answers with a startup message (0x6F). Bytes queued before it are junk.
    const startup = this.waitFor((m) => m.id === MessageId.startup);
    await this.write(hostMessages.resetSystem());
    await startup;
    const wanted = LibConfig.channelId | LibConfig.rssi;
    for (const step of scanModeSetup(this.opts.networkKey, wanted)) {
      let code = await this.command(step.bytes, step.answers);
      if (step.answers === MessageId.libConfig) {
        this.extendedFlags = wanted;
        if (code !== ChannelCode.responseNoError) {
          // A stick without RSSI: the channel id alone still names every strap.
          this.extendedFlags = LibConfig.channelId;
          code = await this.command(hostMessages.libConfig(LibConfig.channelId), MessageId.libConfig);
        }
      }
      if (code !== ChannelCode.responseNoError) {
        throw new AntError('ant_command_refused', `The ANT stick refused "${step.label}" (code 0x${code.toString(16).padStart(2, '0')}).`);
      }
    }
  }

  private async command(bytes: Uint8Array<ArrayBuffer>, answers: number): Promise<number> {
    const reply = this.waitFor((m) => {
      const ev = parseChannelEvent(m);
      return ev !== null && ev.messageId === answers;
    });
    await this.write(bytes);
    return parseChannelEvent(await reply)!.code;
  }

  private waitFor(match: (m: AntMessage) => boolean): Promise<AntMessage> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new AntError('ant_command_timeout', 'The ANT stick did not answer.'));
        }, this.timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  private async write(bytes: Uint8Array<ArrayBuffer>) {
    await this.device.transferOut(this.outEp, bytes);
  }

  private async readLoop() {
    while (this.running) {
      let result;
      try {
        result = await this.device.transferIn(this.inEp, this.packetSize);
      } catch (e) {
        if (this.running) await this.shutdown('lost', new AntError('ant_stick_unavailable', `The ANT USB stick is gone: ${String(e)}`));
        return;
      }
      if (result.status === 'stall') {
        await this.device.clearHalt?.('in', this.inEp).catch(() => undefined);
        continue;
      }
      const data = result.data;
      if (!data || data.byteLength === 0) continue;
      const at = this.now();
      for (const m of this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) this.dispatch(m, at);
    }
  }

  private dispatch(m: AntMessage, at: number) {
    const w = this.waiters.find((x) => x.match(m));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      clearTimeout(w.timer);
      w.resolve(m);
      return;
    }
    const r = this.scanner.receive(m, at);
    if (r) this.onReading(toReading(r));
  }
}

function toReading(r: StrapReading): AntHrReading {
  const out: AntHrReading = { key: r.key, deviceNumber: r.deviceNumber, bpm: r.bpm, rrMs: r.rrMs, at: r.at };
  if (r.battery) out.battery = r.battery.levelPercent;
  if (r.rssi !== undefined) out.rssi = r.rssi;
  return out;
}
