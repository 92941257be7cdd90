import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion } from './apportion';

describe('apportion (largest remainder)', () => {
  it('gives integers summing to the total, each within 1 of its exact share', () => {
    const weights = fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(weights, fc.integer({ min: 0, max: 65_535 }), (w, total) => {
        const parts = apportion(w, total);
        const sum = w.reduce((a, b) => a + b, 0);
        expect(parts).toHaveLength(w.length);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(Number.isInteger(p) && p >= 0).toBe(true);
          const exact = sum > 0 ? (total * w[i]!) / sum : total / w.length;
          expect(Math.abs(p - exact)).toBeLessThan(1);
        });
      }),
    );
  });

  it('the largest remainders get the units left over; ties go to the earlier part', () => {
    expect(apportion([0.2, 0.2, 0.2, 0.2, 0.2], 3)).toEqual([1, 1, 1, 0, 0]);
    expect(apportion([1.4, 1.6, 0.4], 3)).toEqual([1, 2, 0]);
    expect(apportion([0, 0], 3)).toEqual([2, 1]);
    expect(apportion([], 0)).toEqual([]);
  });
});
