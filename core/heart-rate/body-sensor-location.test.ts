import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBodySensorLocation } from './body-sensor-location';
import { isHeartRateParseError } from './parse-error';

const one = (byte: number) => new DataView(new Uint8Array([byte]).buffer);

describe('parseBodySensorLocation', () => {
  it('names the values of HRS 1.0 §3.2', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((v) => parseBodySensorLocation(one(v)))).toEqual([
      'other',
      'chest',
      'wrist',
      'finger',
      'hand',
      'ear-lobe',
      'foot',
    ]);
  });

  it('returns errors for an empty value and reserved values', () => {
    const empty = parseBodySensorLocation(new DataView(new ArrayBuffer(0)));
    expect(isHeartRateParseError(empty) && empty.code).toBe('too_short');
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 255 }), (v) => {
        const result = parseBodySensorLocation(one(v));
        expect(isHeartRateParseError(result) && result.code).toBe('reserved_value');
      }),
    );
  });
});
