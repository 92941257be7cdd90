import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from './encode-measurement';
import type { HeartRateMeasurement, SensorContact } from './measurement';
import { parseHeartRateMeasurement } from './parse-measurement';

const contact = fc.constantFrom<SensorContact>('unsupported', 'not-detected', 'detected');
const uint16 = fc.integer({ min: 0, max: 0xffff });

function decode(bytes: Uint8Array) {
  return parseHeartRateMeasurement(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('encodeHeartRateMeasurement', () => {
  it('writes the layout of HRS 1.0 §3.1.1', () => {
    expect(hex(encodeHeartRateMeasurement({ bpm: 72, contact: 'detected', energyKj: null, rr1024: [340, 748] }))).toBe(
      '16485401ec02',
    );
    expect(hex(encodeHeartRateMeasurement({ bpm: 75, contact: 'detected', energyKj: 1000, rr1024: [1024, 980], uint16: true }))).toBe(
      '1f4b00e8030004d403',
    );
    expect(hex(encodeHeartRateMeasurement({ bpm: 300, contact: 'unsupported', energyKj: null, rr1024: [] }))).toBe('012c01');
  });

  it('refuses values that cannot be sent', () => {
    expect(() => encodeHeartRateMeasurement({ bpm: -1, contact: 'detected', energyKj: null, rr1024: [] })).toThrow(RangeError);
    expect(() => encodeHeartRateMeasurement({ bpm: 70.5, contact: 'detected', energyKj: null, rr1024: [] })).toThrow(RangeError);
    expect(() => encodeHeartRateMeasurement({ bpm: 70, contact: 'detected', energyKj: 70_000, rr1024: [] })).toThrow(RangeError);
    expect(() => encodeHeartRateMeasurement({ bpm: 70, contact: 'detected', energyKj: null, rr1024: [1, 65_536] })).toThrow(RangeError);
  });

  it('round-trips uint8 measurements whose RR fit a 20-byte payload', () => {
    const measurement = fc.record({
      bpm: fc.integer({ min: 0, max: 0xff }),
      contact,
      energyKj: fc.option(uint16, { nil: null }),
      rr1024: fc.array(uint16, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(measurement, (m: HeartRateMeasurement) => {
        const bytes = encodeHeartRateMeasurement(m);
        expect(bytes.length).toBeLessThanOrEqual(20);
        expect(bytes[0]! & 0x01).toBe(0);
        // Spread: fast-check records are not plain-prototype objects, which toStrictEqual notices.
        expect(decode(bytes)).toStrictEqual({ ...m });
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips uint16 measurements with any number of RR intervals', () => {
    const measurement = fc.record({
      bpm: uint16,
      contact,
      energyKj: fc.option(uint16, { nil: null }),
      rr1024: fc.array(uint16, { maxLength: 40 }),
      uint16: fc.boolean(),
    });
    fc.assert(
      fc.property(measurement, ({ uint16: wide, ...m }) => {
        const bytes = encodeHeartRateMeasurement({ ...m, uint16: wide });
        expect(Boolean(bytes[0]! & 0x01)).toBe(wide || m.bpm > 0xff);
        expect(decode(bytes)).toStrictEqual(m);
      }),
      { numRuns: 1000 },
    );
  });
});
