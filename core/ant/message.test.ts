import { describe, expect, it } from 'vitest';
import { AntFrameDecoder, encodeMessage, extendedDeviceNumber, hostMessages, LibConfig, MessageId, parseChannelEvent, parseReceivedData } from './message';
import { isAntError } from './errors';

// Vectors written out by hand from the ANT Message Protocol's frame definition (A4, length, id,
// payload, XOR of all previous bytes); the checksums were worked out on paper.
const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));

describe('encodeMessage and the host messages', () => {
  it('frames the configuration messages byte for byte', () => {
    expect(hostMessages.resetSystem()).toEqual(hex('A4 01 4A 00 EF'));
    expect(hostMessages.assignChannel(0, 0x00, 0)).toEqual(hex('A4 03 42 00 00 00 E5'));
    // Wildcard device number 0, device type 120 (0x78), transmission type 0.
    expect(hostMessages.setChannelId(0, 0, 120, 0)).toEqual(hex('A4 05 51 00 00 00 78 00 88'));
    // 8070 = 0x1F86, little-endian.
    expect(hostMessages.setChannelPeriod(0, 8070)).toEqual(hex('A4 03 43 00 86 1F 7D'));
    expect(hostMessages.setRfFrequency(0, 57)).toEqual(hex('A4 02 45 00 39 DA'));
    expect(hostMessages.openRxScanMode()).toEqual(hex('A4 01 5B 00 FE'));
    expect(hostMessages.openChannel(0)).toEqual(hex('A4 01 4B 00 EE'));
    expect(hostMessages.libConfig(LibConfig.channelId | LibConfig.rssi)).toEqual(hex('A4 02 6E 00 C0 08'));
    expect(hostMessages.requestMessage(0, MessageId.channelId)).toEqual(hex('A4 02 4D 00 51 BA'));
    expect(hostMessages.enableExtRxMessages(true)).toEqual(hex('A4 02 66 00 01 C1'));
  });

  it('sets a (made-up) network key on network 0', () => {
    const key = hex('01 02 03 04 05 06 07 08');
    const m = hostMessages.setNetworkKey(0, key);
    expect(Array.from(m.subarray(0, 4))).toEqual([0xa4, 9, 0x46, 0]);
    expect(Array.from(m.subarray(4, 12))).toEqual(Array.from(key));
    // A4^09^46^00 = EB; 01^02^…^08 = 08; EB^08 = E3.
    expect(m[12]).toBe(0xe3);
    expect(() => hostMessages.setNetworkKey(0, hex('01 02'))).toThrow();
  });

  it('refuses a payload that cannot be framed, with a code', () => {
    let err: unknown;
    try {
      encodeMessage(0x4e, [256]);
    } catch (e) {
      err = e;
    }
    expect(isAntError(err) && err.code).toBe('ant_message_invalid');
    expect(() => encodeMessage(0x4e, new Array(256).fill(0))).toThrow();
  });
});

describe('AntFrameDecoder', () => {
  const a = hex('A4 01 4A 00 EF');
  const b = hex('A4 03 40 00 46 00 A1'); // channel response: set network key, no error
  const c = hex('A4 01 6F 20 EA'); // startup message after a reset command

  it('checks the hand-made vectors', () => {
    const d = new AntFrameDecoder();
    expect(d.push(b)).toEqual([{ id: 0x40, payload: hex('00 46 00') }]);
    expect(d.push(c)).toEqual([{ id: 0x6f, payload: hex('20') }]);
  });

  it('joins a message split across reads, byte by byte', () => {
    const d = new AntFrameDecoder();
    const out = [];
    for (const byte of b) out.push(...d.push([byte]));
    expect(out).toEqual([{ id: 0x40, payload: hex('00 46 00') }]);
    expect(d.pending).toBe(0);
  });

  it('splits several messages packed in one read, and a read ending mid-message', () => {
    const d = new AntFrameDecoder();
    const all = new Uint8Array([...a, ...b, ...c]);
    expect(d.push(all.subarray(0, 9)).map((m) => m.id)).toEqual([0x4a]);
    expect(d.pending).toBe(4);
    expect(d.push(all.subarray(9)).map((m) => m.id)).toEqual([0x40, 0x6f]);
    expect(d.stats).toEqual({ messages: 3, skippedBytes: 0, badChecksums: 0 });
  });

  it('skips garbage before the sync byte', () => {
    const d = new AntFrameDecoder();
    expect(d.push([0x00, 0xff, 0x13, ...c]).map((m) => m.id)).toEqual([0x6f]);
    expect(d.stats.skippedBytes).toBe(3);
  });

  it('drops a frame with a bad checksum and resyncs on the next one', () => {
    const d = new AntFrameDecoder();
    const broken = Uint8Array.from(b);
    broken[4] = 0x47; // one bit flipped in the payload; checksum now wrong
    expect(d.push([...broken, ...c]).map((m) => m.id)).toEqual([0x6f]);
    expect(d.stats.badChecksums).toBe(1);
  });

  it('finds a real message that starts inside a corrupt frame', () => {
    // A stray A4 02 announces 2 bytes; the real frame starts one byte later.
    const d = new AntFrameDecoder();
    expect(d.push([0xa4, 0x02, ...c]).map((m) => m.id)).toEqual([0x6f]);
  });

  it('does not wait forever on an impossible length', () => {
    const d = new AntFrameDecoder();
    expect(d.push([0xa4, 0xf0, ...c]).map((m) => m.id)).toEqual([0x6f]);
  });
});

describe('received data', () => {
  const page = hex('84 FF 12 34 00 04 05 48');

  it('reads a broadcast with the channel id and RSSI appended (lib config 0xC0)', () => {
    // Device number 4821 = 0x12D5, device type 120, transmission type 0x11; RSSI -60 dBm (0xC4).
    const m = { id: 0x4e, payload: new Uint8Array([0, ...page, 0xc0, 0xd5, 0x12, 0x78, 0x11, 0x20, 0xc4, 0x00]) };
    const rx = parseReceivedData(m)!;
    expect(rx.data).toEqual(page);
    expect(rx.id).toEqual({ deviceNumber: 4821, deviceType: 120, transmissionType: 0x11 });
    expect(rx.rssi).toBe(-60);
    expect(extendedDeviceNumber(rx.id!)).toBe(0x112d5);
  });

  it('reads a plain broadcast (no id) and a legacy extended broadcast (0x5D)', () => {
    expect(parseReceivedData({ id: 0x4e, payload: new Uint8Array([0, ...page]) })).toEqual({ channel: 0, data: page });
    const legacy = parseReceivedData({ id: 0x5d, payload: new Uint8Array([0, 0xd5, 0x12, 0x78, 0x01, ...page]) })!;
    expect(legacy.id).toEqual({ deviceNumber: 4821, deviceType: 120, transmissionType: 1 });
    expect(legacy.data).toEqual(page);
  });

  it('reads the timestamp after the other flagged fields, and rejects short data', () => {
    const m = { id: 0x4e, payload: new Uint8Array([0, ...page, 0xa0, 0xd5, 0x12, 0x78, 0x01, 0x34, 0x12]) };
    expect(parseReceivedData(m)!.rxTimestamp).toBe(0x1234);
    expect(parseReceivedData({ id: 0x4e, payload: hex('00 01 02') })).toBeNull();
    expect(parseReceivedData({ id: 0x40, payload: hex('00 01 02') })).toBeNull();
  });

  it('reads channel responses and events', () => {
    expect(parseChannelEvent({ id: 0x40, payload: hex('00 4B 00') })).toEqual({ channel: 0, messageId: 0x4b, code: 0 });
    expect(parseChannelEvent({ id: 0x40, payload: hex('00 01 07') })).toEqual({ channel: 0, messageId: 1, code: 7 });
    expect(parseChannelEvent({ id: 0x4e, payload: hex('00 01 07') })).toBeNull();
  });
});
