import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RR_PER_READING, MAX_T, decodeChunk, encodeChunk, hashChunk, type Reading } from './sample-codec';
import { realisticReadings, seededRandom } from './testing/realistic-readings';

const uint16 = fc.integer({ min: 0, max: 0xffff });
const arbReadingAt = (t: fc.Arbitrary<number>): fc.Arbitrary<Reading> =>
  fc.record({
    t,
    bpm: fc.oneof(fc.integer({ min: 0, max: 220 }), uint16),
    rr1024: fc.oneof(
      fc.array(fc.integer({ min: 250, max: 1200 }), { maxLength: 4 }),
      fc.array(uint16, { maxLength: MAX_RR_PER_READING }),
    ),
    contact: fc.constantFrom('unsupported' as const, 'not-detected' as const, 'detected' as const),
    energyKj: fc.option(uint16),
  });

// Any valid chunk: times anywhere in range and in any order, plus chunks that look like 1 Hz data.
const arbAnyChunk = fc.array(arbReadingAt(fc.integer({ min: 0, max: MAX_T })), { maxLength: 40 });
const arbNearlyRegularChunk = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 42 }), fc.array(fc.tuple(fc.integer({ min: -5000, max: 5000 }), arbReadingAt(fc.constant(0))), { maxLength: 80 }))
  .map(([start, items]) => {
    let t = start;
    return items.map(([jitter, r]) => {
      t = Math.min(MAX_T, Math.max(0, t + 1000 + jitter));
      return { ...r, t };
    });
  });

describe('encodeChunk / decodeChunk', () => {
  it('round-trips any valid chunk', () => {
    fc.assert(
      fc.property(fc.oneof(arbAnyChunk, arbNearlyRegularChunk), (readings) => {
        expect(decodeChunk(encodeChunk(readings))).toEqual({ ok: true, readings });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the edges of every range', () => {
    const edge: Reading[] = [
      { t: MAX_T, bpm: 0xffff, rr1024: [0xffff, 0], contact: 'unsupported', energyKj: 0xffff },
      { t: 0, bpm: 0, rr1024: [], contact: 'detected', energyKj: 0 },
      { t: MAX_T, bpm: 0, rr1024: Array(MAX_RR_PER_READING).fill(0xffff), contact: 'not-detected', energyKj: null },
    ];
    expect(decodeChunk(encodeChunk(edge))).toEqual({ ok: true, readings: edge });
  });

  it('encodes an empty chunk as version and count', () => {
    expect(Array.from(encodeChunk([]))).toEqual([1, 0]);
    expect(decodeChunk(Uint8Array.of(1, 0))).toEqual({ ok: true, readings: [] });
  });

  it('refuses readings outside the domain', () => {
    const r: Reading = { t: 1000, bpm: 60, rr1024: [], contact: 'detected', energyKj: null };
    expect(() => encodeChunk([{ ...r, t: 1.5 }])).toThrow(RangeError);
    expect(() => encodeChunk([{ ...r, bpm: 70_000 }])).toThrow(RangeError);
    expect(() => encodeChunk([{ ...r, rr1024: [-1] }])).toThrow(RangeError);
    expect(() => encodeChunk([{ ...r, energyKj: 0.5 }])).toThrow(RangeError);
  });

  it('stays within 3 bytes per reading, RR included, on an hour of realistic 1 Hz data', () => {
    for (const jitterMs of [0, 30]) {
      const readings = realisticReadings({ count: 3600, startT: 1_700_000_000_000, random: seededRandom(7), jitterMs });
      let bytes = 0;
      for (let i = 0; i < readings.length; i += 60) {
        const chunk = readings.slice(i, i + 60);
        const encoded = encodeChunk(chunk);
        expect(decodeChunk(encoded)).toEqual({ ok: true, readings: chunk });
        bytes += encoded.length;
      }
      const rrPerReading = readings.reduce((n, r) => n + r.rr1024.length, 0) / readings.length;
      expect(rrPerReading).toBeGreaterThan(1.5);
      expect(bytes / readings.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('decodeChunk on corrupt input', () => {
  const valid = encodeChunk(realisticReadings({ count: 60, startT: 1_700_000_000_000, random: seededRandom(1), jitterMs: 30 }));

  it('names the problem', () => {
    expect(decodeChunk(new Uint8Array())).toMatchObject({ ok: false, error: { code: 'empty' } });
    expect(decodeChunk(Uint8Array.of(2, 0))).toMatchObject({ ok: false, error: { code: 'unsupported_version' } });
    expect(decodeChunk(valid.subarray(0, valid.length - 4))).toMatchObject({ ok: false, error: { code: 'truncated' } });
    expect(decodeChunk(Uint8Array.from([...valid, 0]))).toMatchObject({ ok: false, error: { code: 'trailing_data' } });
    expect(decodeChunk(Uint8Array.of(1, 0, 0))).toMatchObject({ ok: false, error: { code: 'trailing_data' } });
    expect(decodeChunk(Uint8Array.of(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toMatchObject({ ok: false, error: { code: 'out_of_range' } });
    expect(decodeChunk(Uint8Array.of(1, 0xff, 0xff, 0x7f))).toMatchObject({ ok: false, error: { code: 'too_many_readings' } });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const result = decodeChunk(Uint8Array.from([1, ...tail]));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on a damaged valid chunk, and what it accepts re-encodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), fc.nat(), (flips, cut) => {
        const damaged = Uint8Array.from(valid);
        for (const [at, bit] of flips) damaged[at % damaged.length]! ^= 1 << bit;
        const bytes = damaged.subarray(0, damaged.length - (cut % 3));
        const result = decodeChunk(bytes);
        if (result.ok) expect(decodeChunk(encodeChunk(result.readings))).toEqual(result);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hashChunk', () => {
  it('is the hex SHA-256 of the bytes (FIPS 180-2 test vectors)', async () => {
    expect(await hashChunk(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await hashChunk(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('docs/sync-protocol.md worked example', () => {
  it('encodes to the documented bytes', () => {
    const readings: Reading[] = [
      { t: 1_700_000_000_000, bpm: 120, rr1024: [512, 518], contact: 'detected', energyKj: null },
      { t: 1_700_000_001_012, bpm: 121, rr1024: [506, 509], contact: 'detected', energyKj: 100 },
      { t: 1_700_000_001_998, bpm: 121, rr1024: [511], contact: 'detected', energyKj: null },
    ];
    const hex = Array.from(encodeChunk(readings), (b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hex).toBe('01 03 80 d0 95 ff bc 31 f4 07 20 00 30 00 1c 60 0f 18 41 4a a3 4d 60 06 40');
  });
});
