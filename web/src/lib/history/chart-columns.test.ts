import { describe, expect, it } from 'vitest';
import type { Reading } from '$core/workout';
import { bpmRange, chartColumns } from './chart-columns';

const r = (t: number, bpm: number, contact: Reading['contact'] = 'detected'): Reading => ({ t, bpm, rr1024: [], contact });

describe('chartColumns', () => {
  it('keeps min, max and time-weighted mean per column', () => {
    // 10 s in 2 columns of 5 s: 100 for 0-2 s, 130 for 2-5 s; 160 for 5-10 s.
    const cols = chartColumns([r(0, 100), r(2000, 130), r(5000, 160), r(9000, 160)], 0, 10_000, 2);
    expect([...cols.min]).toEqual([100, 160]);
    expect([...cols.max]).toEqual([130, 160]);
    expect(cols.mean[0]).toBeCloseTo((100 * 2 + 130 * 3) / 5, 4);
  });

  it('leaves gaps empty: 0 bpm, no contact, and silences past the hold', () => {
    const cols = chartColumns([r(0, 100), r(1000, 0), r(2000, 120, 'not-detected'), r(3000, 110)], 0, 10_000, 10);
    expect(cols.mean[0]).toBe(100);
    expect(Number.isNaN(cols.mean[1]!)).toBe(true);
    expect(Number.isNaN(cols.mean[2]!)).toBe(true);
    expect([...cols.mean.slice(3, 8)]).toEqual([110, 110, 110, 110, 110]); // held 5 s
    expect(Number.isNaN(cols.mean[8]!)).toBe(true);
  });

  it('spreads one reading over the columns it covers when columns are narrower than readings', () => {
    const cols = chartColumns([r(0, 90), r(1000, 91)], 0, 2000, 8);
    expect([...cols.mean]).toEqual([90, 90, 90, 90, 91, 91, 91, 91]);
  });

  it('handles 2 hours of 1 Hz readings into 800 columns quickly', () => {
    const readings = Array.from({ length: 7200 }, (_, i) => r(i * 1000, 100 + (i % 60)));
    const t0 = performance.now();
    const cols = chartColumns(readings, 0, 7_200_000, 800);
    expect(performance.now() - t0).toBeLessThan(250);
    expect(cols.max[0]).toBe(108);
    expect(bpmRange(cols)).toEqual({ lo: 90, hi: 170 });
  });
});
