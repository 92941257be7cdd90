import { AntError } from './errors';

/**
 * ANT serial message framing, as a USB ANT stick (ANTUSB2, ANTUSB-m) carries it over its bulk
 * endpoints: SYNC (0xA4), LENGTH (payload bytes), MESSAGE ID, PAYLOAD, CHECKSUM (XOR of every
 * byte before it, sync included).
 *
 * Sources (facts, not code): "ANT Message Protocol and Usage" rev 5.x (Dynastream), §7 (serial
 * message format) and §9 (message list); cross-checked against public constant tables in
 * open-source ANT hosts (ant-arduino ANT_private_defines.h, BeagleTrainer ANT.h, openant).
 */
export const ANT_SYNC = 0xa4;
/** sync + length + id + checksum */
export const ANT_FRAME_OVERHEAD = 4;
/** The longest payload a stick sends here is 9 data + flag + 4 channel id + 3 RSSI + 2 timestamp. */
export const ANT_MAX_PAYLOAD = 41;

export const MessageId = {
  // Host → stick: configuration and control.
  unassignChannel: 0x41,
  assignChannel: 0x42,
  channelPeriod: 0x43,
  searchTimeout: 0x44,
  rfFrequency: 0x45,
  setNetworkKey: 0x46,
  resetSystem: 0x4a,
  openChannel: 0x4b,
  closeChannel: 0x4c,
  requestMessage: 0x4d,
  channelId: 0x51,
  openRxScanMode: 0x5b,
  enableExtRxMessages: 0x66,
  libConfig: 0x6e,
  // Stick → host.
  channelEvent: 0x40,
  broadcastData: 0x4e,
  acknowledgedData: 0x4f,
  /** Legacy extended broadcast (older sticks with "enable extended messages"): id before data. */
  extendedBroadcastData: 0x5d,
  capabilities: 0x54,
  serialNumber: 0x61,
  startup: 0x6f,
  serialError: 0xae,
} as const;

/** Codes in a channel response / event (message 0x40, third payload byte). */
export const ChannelCode = {
  responseNoError: 0x00,
  eventRxSearchTimeout: 0x01,
  eventRxFail: 0x02,
  eventChannelClosed: 0x07,
  eventRxFailGoToSearch: 0x08,
  channelInWrongState: 0x15,
  channelNotOpened: 0x16,
  invalidMessage: 0x28,
} as const;

/** Lib config flags (0x6E): which extended fields the stick appends to received data. */
export const LibConfig = { channelId: 0x80, rssi: 0x40, rxTimestamp: 0x20 } as const;

/** ANT+ heart rate: device type 120, RF channel 57 (2457 MHz), period 8070/32768 s (~4.06 Hz). */
export const ANTPLUS_HR = { deviceType: 120, rfFrequency: 57, channelPeriod: 8070, transmissionType: 0 } as const;

export interface AntMessage {
  id: number;
  payload: Uint8Array;
}

export function checksum(bytes: ArrayLike<number>, end = bytes.length): number {
  let x = 0;
  for (let i = 0; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** One framed message: A4, length, id, payload…, checksum. */
export function encodeMessage(id: number, payload: ArrayLike<number> = []): Uint8Array<ArrayBuffer> {
  if (payload.length > 255 || id < 0 || id > 255) throw new AntError('ant_message_invalid', `ANT message 0x${id.toString(16)} cannot carry ${payload.length} bytes`);
  const out = new Uint8Array(payload.length + ANT_FRAME_OVERHEAD);
  out[0] = ANT_SYNC;
  out[1] = payload.length;
  out[2] = id;
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i]!;
    if (!Number.isInteger(b) || b < 0 || b > 255) throw new AntError('ant_message_invalid', `byte ${i} of ANT message 0x${id.toString(16)} is ${b}`);
    out[3 + i] = b;
  }
  out[out.length - 1] = checksum(out, out.length - 1);
  return out;
}

export interface DecoderStats {
  messages: number;
  /** Bytes dropped while looking for a sync byte (garbage, or the rest of a rejected frame). */
  skippedBytes: number;
  badChecksums: number;
}

/**
 * A streaming decoder: USB reads split a message across transfers and pack several into one,
 * and a stick can start mid-message after a reset. Push every read; get the whole, checked
 * messages. A frame whose checksum fails is dropped by skipping only its sync byte and searching
 * again, so a real message hidden inside a corrupt frame's bytes is still found (resync).
 */
export class AntFrameDecoder {
  private buf = new Uint8Array(0);
  readonly stats: DecoderStats = { messages: 0, skippedBytes: 0, badChecksums: 0 };

  constructor(private readonly maxPayload = ANT_MAX_PAYLOAD) {}

  push(chunk: ArrayLike<number>): AntMessage[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf, 0);
    joined.set(chunk as ArrayLike<number>, this.buf.length);
    const out: AntMessage[] = [];
    let i = 0;
    while (i < joined.length) {
      if (joined[i] !== ANT_SYNC) {
        i++;
        this.stats.skippedBytes++;
        continue;
      }
      if (i + 1 >= joined.length) break; // need the length byte
      const len = joined[i + 1]!;
      if (len > this.maxPayload) {
        // Not a real frame start: a data byte that happened to be 0xA4.
        i++;
        this.stats.skippedBytes++;
        continue;
      }
      const total = len + ANT_FRAME_OVERHEAD;
      if (i + total > joined.length) break; // wait for the rest
      const sum = checksum(joined.subarray(i, i + total - 1));
      if (sum !== joined[i + total - 1]) {
        this.stats.badChecksums++;
        this.stats.skippedBytes++;
        i++;
        continue;
      }
      out.push({ id: joined[i + 2]!, payload: joined.slice(i + 3, i + 3 + len) });
      this.stats.messages++;
      i += total;
    }
    this.buf = joined.slice(i);
    return out;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }
}

// ---- Host → stick messages -------------------------------------------------------------------

export const hostMessages = {
  resetSystem: () => encodeMessage(MessageId.resetSystem, [0x00]),
  setNetworkKey: (network: number, key: Uint8Array) => {
    if (key.length !== 8) throw new AntError('ant_message_invalid', 'an ANT network key is 8 bytes');
    return encodeMessage(MessageId.setNetworkKey, [network, ...key]);
  },
  /** Channel type 0x00: bidirectional receive (slave), the type ANT+ displays use. */
  assignChannel: (channel: number, channelType: number, network: number) => encodeMessage(MessageId.assignChannel, [channel, channelType, network]),
  /** Device number 0 = wildcard (any strap); little-endian. */
  setChannelId: (channel: number, deviceNumber: number, deviceType: number, transmissionType: number) =>
    encodeMessage(MessageId.channelId, [channel, deviceNumber & 0xff, (deviceNumber >> 8) & 0xff, deviceType, transmissionType]),
  setChannelPeriod: (channel: number, period: number) => encodeMessage(MessageId.channelPeriod, [channel, period & 0xff, (period >> 8) & 0xff]),
  setRfFrequency: (channel: number, mhzAbove2400: number) => encodeMessage(MessageId.rfFrequency, [channel, mhzAbove2400]),
  setSearchTimeout: (channel: number, timeout: number) => encodeMessage(MessageId.searchTimeout, [channel, timeout]),
  openChannel: (channel: number) => encodeMessage(MessageId.openChannel, [channel]),
  closeChannel: (channel: number) => encodeMessage(MessageId.closeChannel, [channel]),
  /** Continuous scan mode: channel 0 receives every matching device in range. */
  openRxScanMode: () => encodeMessage(MessageId.openRxScanMode, [0x00]),
  /** Extended fields appended to every received data message (see LibConfig). */
  libConfig: (flags: number) => encodeMessage(MessageId.libConfig, [0x00, flags]),
  /** Older sticks: legacy extended messages (0x5D) carrying the channel id. */
  enableExtRxMessages: (enable: boolean) => encodeMessage(MessageId.enableExtRxMessages, [0x00, enable ? 1 : 0]),
  requestMessage: (channel: number, id: number) => encodeMessage(MessageId.requestMessage, [channel, id]),
};

// ---- Stick → host messages -------------------------------------------------------------------

export interface ChannelEvent {
  channel: number;
  /** The message id answered (a response), or 1 for an RF event. */
  messageId: number;
  code: number;
}

export function parseChannelEvent(m: AntMessage): ChannelEvent | null {
  if (m.id !== MessageId.channelEvent || m.payload.length < 3) return null;
  return { channel: m.payload[0]!, messageId: m.payload[1]!, code: m.payload[2]! };
}

export interface ChannelIdentity {
  deviceNumber: number;
  deviceType: number;
  transmissionType: number;
}

export interface ReceivedData {
  channel: number;
  /** The 8 bytes of the profile's data page. */
  data: Uint8Array;
  /** Present when the stick appends the channel id (lib config 0x80, or a legacy 0x5D message). */
  id?: ChannelIdentity;
  /** dBm, when the stick appends RSSI (lib config 0x40). */
  rssi?: number;
  /** Stick's receive time in 1/32768 s, rolling over at 65536, when appended. */
  rxTimestamp?: number;
}

function identity(p: Uint8Array, at: number): ChannelIdentity {
  return { deviceNumber: p[at]! | (p[at + 1]! << 8), deviceType: p[at + 2]!, transmissionType: p[at + 3]! };
}

/**
 * Broadcast (0x4E) or acknowledged (0x4F) data, with the flagged extended fields in their order:
 * channel id (4 bytes), RSSI (measurement type, value as int8, threshold), timestamp (uint16).
 * Legacy extended broadcast (0x5D): channel, device number, type, transmission type, 8 bytes.
 */
export function parseReceivedData(m: AntMessage): ReceivedData | null {
  const p = m.payload;
  if (m.id === MessageId.extendedBroadcastData) {
    if (p.length < 13) return null;
    return { channel: p[0]!, id: identity(p, 1), data: p.slice(5, 13) };
  }
  if (m.id !== MessageId.broadcastData && m.id !== MessageId.acknowledgedData) return null;
  if (p.length < 9) return null;
  const out: ReceivedData = { channel: p[0]!, data: p.slice(1, 9) };
  if (p.length === 9) return out;
  const flag = p[9]!;
  let at = 10;
  if (flag & LibConfig.channelId) {
    if (p.length < at + 4) return out;
    out.id = identity(p, at);
    at += 4;
  }
  if (flag & LibConfig.rssi) {
    if (p.length < at + 3) return out;
    const v = p[at + 1]!;
    out.rssi = v > 127 ? v - 256 : v;
    at += 3;
  }
  if (flag & LibConfig.rxTimestamp) {
    if (p.length < at + 2) return out;
    out.rxTimestamp = p[at]! | (p[at + 1]! << 8);
  }
  return out;
}

/**
 * ANT+ extends the 16-bit device number with the upper nibble of the transmission type (20 bits
 * in all): two straps may share a 16-bit number, so this is the key that tells them apart.
 */
export function extendedDeviceNumber(id: ChannelIdentity): number {
  return id.deviceNumber | ((id.transmissionType >> 4) << 16);
}
