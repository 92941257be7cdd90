import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hrStats } from './hr-stats';
import { bpmAt, heldSegments, isGap, sortedReadings, type Reading } from './readings';
import { timeInZones } from './zone-time';
import { percentMaxZones } from './zones';

const r = (t: number, bpm: number, contact: Reading['contact'] = 'detected'): Reading => ({ t, bpm, rr1024: [], contact });

// 100 bpm at 0 s, 110 at 1 s, no contact at 2 s, 120 at 3 s, silence, 130 at 20 s.
const readings = [r(0, 100), r(1_000, 110), r(2_000, 140, 'not-detected'), r(3_000, 120), r(20_000, 130)];

describe('readings', () => {
  it('gaps: bpm 0 or no contact', () => {
    expect(isGap(r(0, 0))).toBe(true);
    expect(isGap(r(0, 120, 'not-detected'))).toBe(true);
    expect(isGap(r(0, 120, 'unsupported'))).toBe(false);
  });

  it('holds each value until the next reading, at most 5 s, clipped to the window', () => {
    expect(heldSegments(readings, 0, 22_000)).toEqual([
      { from: 0, to: 1_000, bpm: 100 },
      { from: 1_000, to: 2_000, bpm: 110 },
      { from: 3_000, to: 8_000, bpm: 120 }, // 3 s + 5 s hold; 8-20 s is a gap
      { from: 20_000, to: 22_000, bpm: 130 },
    ]);
    expect(heldSegments(readings, 500, 4_000)).toEqual([
      { from: 500, to: 1_000, bpm: 100 },
      { from: 1_000, to: 2_000, bpm: 110 },
      { from: 3_000, to: 4_000, bpm: 120 },
    ]);
  });

  it('time-weighted statistics', () => {
    // (100 × 1 + 110 × 1 + 120 × 5 + 130 × 2) / 9 s = 1070 / 9 = 118.888… bpm
    expect(hrStats(heldSegments(readings, 0, 22_000))).toEqual({ avgBpm: 1070 / 9, maxBpm: 130, minBpm: 100, coveredMs: 9_000 });
    expect(hrStats([])).toBeNull();
  });

  it('time in zones (HRmax 200: zone 1 from 100, zone 2 from 120, zone 3 from 140)', () => {
    // 100 and 110 → zone 1 (2 s); 120 → zone 2 (5 s); 130 → zone 2 (2 s)
    expect(timeInZones(heldSegments(readings, 0, 22_000), percentMaxZones(200))).toEqual([0, 2_000, 7_000, 0, 0, 0]);
  });

  it('bpmAt: the held value, null in a gap', () => {
    expect(bpmAt(readings, 500)).toBe(100);
    expect(bpmAt(readings, 1_000)).toBe(110);
    expect(bpmAt(readings, 1_000, undefined, true)).toBe(100);
    expect(bpmAt(readings, 2_500)).toBeNull();
    expect(bpmAt(readings, 9_000)).toBeNull();
    expect(bpmAt(readings, -1)).toBeNull();
  });

  it('sorts out-of-order readings into a copy', () => {
    const shuffled = [readings[2]!, readings[0]!, readings[1]!];
    expect(sortedReadings(shuffled).map((x) => x.t)).toEqual([0, 1_000, 2_000]);
    expect(sortedReadings(readings)).toBe(readings);
  });
});

describe('heldSegments over a window of a long recording', () => {
  // The definition, reading by reading over the whole array: what the bisected window must equal.
  const naive = (rs: readonly Reading[], start: number, end: number, hold = 5_000) =>
    rs.flatMap((x, i) => {
      if (isGap(x)) return [];
      const to = Math.min(rs[i + 1]?.t ?? Infinity, x.t + hold, end);
      const from = Math.max(x.t, start);
      return to > from ? [{ from, to, bpm: x.bpm }] : [];
    });

  it('equals the reading-by-reading definition for any sorted readings (equal times included) and any span', () => {
    const step = fc.record({ dt: fc.integer({ min: 0, max: 7_000 }), bpm: fc.integer({ min: 0, max: 200 }), contact: fc.constantFrom<Reading['contact']>('detected', 'not-detected', 'unsupported') });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: -10_000, max: 800_000 }), fc.integer({ min: 0, max: 400_000 }), (steps, start, length) => {
        let t = 0;
        const rs = steps.map((s) => r((t += s.dt), s.bpm, s.contact));
        expect(heldSegments(rs, start, start + length)).toEqual(naive(rs, start, start + length));
        expect(heldSegments(rs, -Infinity, start)).toEqual(naive(rs, -Infinity, start));
      }),
      { numRuns: 300 },
    );
  });
});
