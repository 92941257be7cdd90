import { describe, expect, it } from 'vitest';
import { decodeHrMain, decodeHrPage, encodeHrPage, HrStrapDecoder, LEGACY_AFTER_MESSAGES, MAX_SILENCE_MS } from './hr-profile';

// Vectors built from the ANT+ Heart Rate Monitor profile's page layout (rev 2.x): byte 0 toggle +
// page number, bytes 1-3 page-specific, 4-5 beat event time (1/1024 s, LE), 6 beat count, 7 bpm.
// Written byte by byte here, independently of encodeHrPage.
function pg(byte0: number, b1: number, b2: number, b3: number, time: number, count: number, bpm: number): Uint8Array {
  return Uint8Array.from([byte0, b1, b2, b3, time & 0xff, (time >> 8) & 0xff, count & 0xff, bpm]);
}
const TOGGLE = 0x80;
/** A page-4 message: previous beat time in bytes 2-3. */
const p4 = (toggle: boolean, prev: number, time: number, count: number, bpm: number) => pg((toggle ? TOGGLE : 0) | 4, 0x00, prev & 0xff, (prev >> 8) & 0xff, time, count, bpm);
const p0 = (toggle: boolean, time: number, count: number, bpm: number) => pg(toggle ? TOGGLE : 0, 0xff, 0xff, 0xff, time, count, bpm);
const ms = (ticks: number) => (ticks * 1000) / 1024;

/** A decoder that has already seen the toggle bit change (a paged strap). */
function pagedDecoder(): HrStrapDecoder {
  const d = new HrStrapDecoder();
  d.feed(p0(false, 0, 0, 60), 0);
  d.feed(p0(true, 0, 0, 60), 250);
  expect(d.format).toBe('paged');
  return d;
}

describe('decodeHrMain / decodeHrPage', () => {
  it('reads the four bytes every page carries', () => {
    expect(decodeHrMain(pg(0x84, 0, 0, 0, 0x1234, 200, 151))).toEqual({ toggle: 1, pageNumber: 4, eventTime: 0x1234, eventCount: 200, bpm: 151 });
    expect(decodeHrMain(pg(0x00, 0, 0, 0, 0, 0, 0))!.bpm).toBeNull();
    expect(decodeHrMain(new Uint8Array(7))).toBeNull();
  });

  it('reads pages 0 to 7', () => {
    expect(decodeHrPage(pg(0x80, 0xff, 0xff, 0xff, 0, 0, 70))).toEqual({ page: 0 });
    // 0x000010 units of 2 s.
    expect(decodeHrPage(pg(0x01, 0x10, 0x00, 0x00, 0, 0, 70))).toEqual({ page: 1, operatingTimeS: 32 });
    expect(decodeHrPage(pg(0x82, 0x01, 0x34, 0x12, 0, 0, 70))).toEqual({ page: 2, manufacturerId: 1, serialUpper16: 0x1234 });
    expect(decodeHrPage(pg(0x03, 5, 12, 7, 0, 0, 70))).toEqual({ page: 3, hardwareVersion: 5, softwareVersion: 12, modelNumber: 7 });
    expect(decodeHrPage(pg(0x84, 0xaa, 0x00, 0xfc, 0, 0, 70))).toEqual({ page: 4, manufacturerSpecific: 0xaa, previousEventTime: 0xfc00 });
    expect(decodeHrPage(pg(0x05, 140, 171, 133, 0, 0, 70))).toEqual({ page: 5, intervalAverageBpm: 140, intervalMaxBpm: 171, sessionAverageBpm: 133 });
    expect(decodeHrPage(pg(0x86, 0xff, 0x03, 0x01, 0, 0, 70))).toEqual({ page: 6, featuresSupported: 3, featuresEnabled: 1 });
    // 85 %, 3 + 128/256 V, status 2 (good).
    expect(decodeHrPage(pg(0x07, 85, 0x80, 0x23, 0, 0, 70))).toEqual({ page: 7, battery: { levelPercent: 85, volts: 3.5, state: 'good' } });
    // Level not reported, coarse voltage invalid, status 4 (low).
    expect(decodeHrPage(pg(0x87, 0xff, 0x00, 0x4f, 0, 0, 70))).toEqual({ page: 7, battery: { levelPercent: null, volts: null, state: 'low' } });
    expect(decodeHrPage(pg(0x09, 0, 0, 0, 0, 0, 70))).toEqual({ page: 9, unknown: true });
  });

  it('encodeHrPage is the inverse of the decoders', () => {
    const main = { toggle: 1 as const, eventTime: 0xfedc, eventCount: 255, bpm: 182 };
    const pages = [
      { page: 0 },
      { page: 1, operatingTimeS: 7200 },
      { page: 2, manufacturerId: 123, serialUpper16: 0xbeef },
      { page: 3, hardwareVersion: 1, softwareVersion: 2, modelNumber: 3 },
      { page: 4, manufacturerSpecific: 0, previousEventTime: 0xfa00 },
      { page: 7, battery: { levelPercent: 40, volts: 2.75, state: 'ok' } },
    ] as const;
    for (const page of pages) {
      const bytes = encodeHrPage(main, page);
      expect(decodeHrPage(bytes)).toEqual(page);
      expect(decodeHrMain(bytes)).toEqual({ ...main, pageNumber: page.page });
    }
  });
});

describe('page toggle and legacy straps', () => {
  it('decodes pages only once the toggle bit has changed', () => {
    const d = new HrStrapDecoder();
    const battery = (toggle: boolean) => pg((toggle ? TOGGLE : 0) | 7, 90, 0, 0x13, 100, 1, 64);
    for (let i = 0; i < 4; i++) expect(d.feed(battery(false), i * 250)!.page).toBeNull();
    expect(d.format).toBe('unknown');
    expect(d.info.battery).toBeUndefined();
    const u = d.feed(battery(true), 1000)!;
    expect(u.format).toBe('paged');
    expect(u.page).toEqual({ page: 7, battery: { levelPercent: 90, volts: 3, state: 'new' } });
    expect(d.info.battery?.levelPercent).toBe(90);
  });

  it('treats a strap whose bit never changes as legacy: bytes 0-3 ignored, heart rate and RR still read', () => {
    const d = new HrStrapDecoder();
    // A legacy strap's byte 0-3 hold other data; 0x07 here must never be read as a battery page.
    let last;
    for (let i = 0; i < LEGACY_AFTER_MESSAGES; i++) last = d.feed(pg(0x07, 0x11, 0x22, 0x33, 1024 * Math.floor(i / 4), Math.floor(i / 4), 60), i * 250)!;
    expect(last!.format).toBe('legacy');
    expect(last!.page).toBeNull();
    expect(d.info.battery).toBeUndefined();
    const beat = d.feed(pg(0x07, 0x11, 0x22, 0x33, 1024 * 2, 2, 60), 2250)!;
    expect(beat.rrMs).toEqual([1000]);
    // It was a paged strap after all (e.g. messages were lost on every flip): a change is proof.
    expect(d.feed(pg(0x87, 0xff, 0xff, 0xff, 1024 * 2, 2, 60), 2500)!.format).toBe('paged');
  });
});

describe('RR from consecutive beat event times', () => {
  it('gives one RR per new beat and nothing for a repeated beat', () => {
    const d = pagedDecoder();
    // Ten beats since the last message on page 0: none of their intervals is known.
    expect(d.feed(p0(false, 1000, 10, 60), 1000)!).toMatchObject({ rrMs: [], newBeats: 10, beatsWithoutRr: 10 });
    expect(d.feed(p4(false, 0, 1000, 10, 60), 1250)!).toMatchObject({ rrMs: [], newBeats: 0 });
    expect(d.feed(p4(false, 1000, 2024, 11, 60), 1500)!).toMatchObject({ rrMs: [1000], newBeats: 1, beatsWithoutRr: 0 });
    expect(d.feed(p4(true, 1000, 2024, 11, 60), 1750)!.rrMs).toEqual([]);
  });

  it('survives the event time and the count rolling over together', () => {
    const d = pagedDecoder();
    d.feed(p0(true, 65000, 255, 70), 1000);
    // 65000 + 900 = 65900 → 364 after the 16-bit rollover; count 255 → 0.
    const u = d.feed(p0(true, 364, 0, 70), 1250)!;
    expect(u.newBeats).toBe(1);
    expect(u.rrMs).toEqual([ms(900)]);
  });

  it('invents nothing across missed messages; page 4 still gives the last interval', () => {
    const d = pagedDecoder();
    d.feed(p0(true, 10_000, 40, 70), 1000);
    // Three beats later on page 0: the intervals are unknown.
    expect(d.feed(p0(true, 13_000, 43, 70), 4000)!).toMatchObject({ rrMs: [], newBeats: 3, beatsWithoutRr: 3 });
    // Two beats later on page 4: the last interval (14 900 - 14 000 ticks) is known, one is not.
    expect(d.feed(p4(false, 14_000, 14_900, 45, 70), 6000)!).toMatchObject({ rrMs: [ms(900)], newBeats: 2, beatsWithoutRr: 1 });
    // Page 4's previous beat time rolls over too: 65 300 → 200 is 436 ticks.
    d.feed(p4(false, 64_900, 65_000, 100, 140), 60_000); // after a long silence: a new reference
    expect(d.feed(p4(false, 65_300, 200, 102, 140), 60_500)!.rrMs).toEqual([ms(436)]);
  });

  it('drops an implausible interval and starts afresh after a long silence', () => {
    const d = pagedDecoder();
    d.feed(p0(true, 0, 1, 60), 1000);
    // One beat, but 5 s apart: the strap restarted or lost contact.
    expect(d.feed(p0(true, 5120, 2, 60), 6000)!).toMatchObject({ rrMs: [], beatsWithoutRr: 1 });
    // Silent longer than MAX_SILENCE_MS: the count may have wrapped; no reference.
    expect(d.feed(p0(true, 6144, 3, 60), 6000 + MAX_SILENCE_MS + 1)!).toMatchObject({ rrMs: [], newBeats: 0 });
    expect(d.feed(p0(true, 7168, 4, 60), 6000 + MAX_SILENCE_MS + 1001)!.rrMs).toEqual([1000]);
  });

  it('over a simulated minute with lost messages, every RR given is a true one and none is invented', () => {
    // A strap at ~4 Hz whose beats vary; the receiver loses every message whose index is a
    // multiple of 3 or 7 (dense losses, so many beats fall between two received messages).
    const truth: number[] = []; // beat times in ticks (unwrapped)
    let t = 0;
    for (let i = 0; i < 120; i++) {
      t += 700 + ((i * 37) % 400); // 700..1099 ticks
      truth.push(t);
    }
    const d = new HrStrapDecoder();
    const got: number[] = [];
    let withoutRr = 0;
    for (let k = 0; k * 250 < (t * 1000) / 1024; k++) {
      const nowTicks = (k * 250 * 1024) / 1000;
      const beats = truth.filter((b) => b <= nowTicks);
      if (beats.length < 2) continue;
      const last = beats[beats.length - 1]!;
      const prev = beats[beats.length - 2]!;
      const toggle = Math.floor(k / 4) % 2 === 1;
      const msg = k % 5 === 0 ? p0(toggle, last & 0xffff, beats.length, 70) : p4(toggle, prev & 0xffff, last & 0xffff, beats.length, 70);
      if (k % 3 === 0 || k % 7 === 0) continue;
      const u = d.feed(msg, k * 250)!;
      got.push(...u.rrMs);
      withoutRr += u.beatsWithoutRr;
    }
    const trueRr = new Set(truth.slice(1).map((b, i) => ms(b - truth[i]!)));
    expect(got.length).toBeGreaterThan(80);
    for (const rr of got) expect(trueRr.has(rr)).toBe(true);
    expect(got.length + withoutRr).toBeLessThanOrEqual(truth.length);
  });
});
