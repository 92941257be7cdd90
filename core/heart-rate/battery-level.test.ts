import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatteryLevel } from './battery-level';
import { isHeartRateParseError } from './parse-error';

const one = (byte: number) => new DataView(new Uint8Array([byte]).buffer);

describe('parseBatteryLevel', () => {
  it('reads 0..100 percent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (v) => {
        expect(parseBatteryLevel(one(v))).toBe(v);
      }),
    );
  });

  it('returns errors for an empty value and prohibited values', () => {
    const empty = parseBatteryLevel(new DataView(new ArrayBuffer(0)));
    expect(isHeartRateParseError(empty) && empty.code).toBe('too_short');
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 255 }), (v) => {
        const result = parseBatteryLevel(one(v));
        expect(isHeartRateParseError(result) && result.code).toBe('out_of_range');
        expect(isHeartRateParseError(result) && result.characteristic).toBe(0x2a19);
      }),
    );
  });
});
