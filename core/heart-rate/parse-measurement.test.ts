import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeartRateParseError, isHeartRateParseError } from './parse-error';
import { parseHeartRateMeasurement } from './parse-measurement';

interface Vector {
  hex: string;
  bpm: number;
  contact: string;
  energy_kj: number | null;
  rr_1024?: number[];
  source: string;
  note: string;
}

// Test-only file read: shared/ sits beside the repo (CI clones it to ../shared).
const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/fixtures/hr-measurement-vectors.json', import.meta.url), 'utf8'),
) as Vector[];

function view(hex: string): DataView {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return new DataView(bytes.buffer);
}

describe('parseHeartRateMeasurement: shared vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThan(40);
  });

  it.each(vectors.map((v) => [v.hex, v] as const))('%s', (_hex, v) => {
    expect(parseHeartRateMeasurement(view(v.hex))).toStrictEqual({
      bpm: v.bpm,
      contact: v.contact,
      energyKj: v.energy_kj,
      rr1024: v.rr_1024 ?? [],
    });
  });
});

describe('parseHeartRateMeasurement: edge cases', () => {
  it('returns exactly the four documented keys', () => {
    const result = parseHeartRateMeasurement(view('1f4b00e8030004d403'));
    expect(Object.keys(result).sort()).toEqual(['bpm', 'contact', 'energyKj', 'rr1024']);
  });

  it.each([
    ['', 'empty'],
    ['00', 'uint8 heart rate missing'],
    ['01', 'uint16 heart rate missing'],
    ['0148', 'half a uint16 heart rate'],
    ['0848', 'energy expended missing'],
    ['0848d0', 'half an energy expended'],
    ['0948000a', 'uint16 heart rate then half an energy expended'],
  ])('returns a too_short error for %j (%s)', (hex) => {
    const result = parseHeartRateMeasurement(view(hex));
    expect(isHeartRateParseError(result)).toBe(true);
    expect(result).toBeInstanceOf(HeartRateParseError);
    const error = result as HeartRateParseError;
    expect(error.code).toBe('too_short');
    expect(error.characteristic).toBe(0x2a37);
    expect(error.message).toMatch(/too short/);
  });

  it('drops an odd trailing byte in the RR region', () => {
    expect(parseHeartRateMeasurement(view('1048720301'))).toMatchObject({ bpm: 72, rr1024: [882] });
    expect(parseHeartRateMeasurement(view('104801'))).toMatchObject({ bpm: 72, rr1024: [] });
  });

  it('ignores bytes the flags do not announce', () => {
    expect(parseHeartRateMeasurement(view('00487203'))).toStrictEqual({
      bpm: 72,
      contact: 'unsupported',
      energyKj: null,
      rr1024: [],
    });
  });

  it('ignores reserved flag bits 5-7', () => {
    expect(parseHeartRateMeasurement(view('f64872038a03'))).toStrictEqual(
      parseHeartRateMeasurement(view('164872038a03')),
    );
  });

  it('reads a DataView that is a window on a larger buffer', () => {
    const buffer = new Uint8Array([0xff, 0xff, 0x10, 0x48, 0x72, 0x03, 0xee]).buffer;
    expect(parseHeartRateMeasurement(new DataView(buffer, 2, 4))).toMatchObject({ bpm: 72, rr1024: [882] });
  });
});

describe('parseHeartRateMeasurement: properties', () => {
  it('never throws on arbitrary bytes and returns a valid result or an error value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const result = parseHeartRateMeasurement(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if (isHeartRateParseError(result)) {
          expect(result.code).toBe('too_short');
          return;
        }
        expect(Object.keys(result).sort()).toEqual(['bpm', 'contact', 'energyKj', 'rr1024']);
        expect(Number.isInteger(result.bpm) && result.bpm >= 0 && result.bpm <= 0xffff).toBe(true);
        expect(['unsupported', 'not-detected', 'detected']).toContain(result.contact);
        if (result.energyKj !== null) expect(result.energyKj).toBeLessThanOrEqual(0xffff);
        for (const rr of result.rr1024) expect(Number.isInteger(rr) && rr >= 0 && rr <= 0xffff).toBe(true);
        expect(result.rr1024.length).toBeLessThanOrEqual(Math.floor((bytes.length - 2) / 2));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects exactly the values shorter than their flags require', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes) => {
        const flags = bytes[0]!;
        const needed = 1 + (flags & 0x01 ? 2 : 1) + (flags & 0x08 ? 2 : 0);
        const result = parseHeartRateMeasurement(new DataView(bytes.buffer));
        expect(isHeartRateParseError(result)).toBe(bytes.length < needed);
      }),
    );
  });
});
