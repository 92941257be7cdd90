import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { mulberry32 } from './prng';

describe('backoffDelay', () => {
  it('never exceeds the cap, for either jitter', () => {
    fc.assert(
      fc.property(fc.constantFrom('full', 'decorrelated'), fc.integer({ min: 1, max: 200 }), fc.integer(), (jitter, attempts, seed) => {
        const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, jitter: jitter as BackoffPolicy['jitter'] };
        const random = mulberry32(seed);
        let previous = policy.baseMs;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          const delay = backoffDelay(policy, attempt, previous, random);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(30_000);
          if (jitter === 'decorrelated') expect(delay).toBeGreaterThanOrEqual(policy.baseMs);
          previous = delay;
        }
      }),
    );
  });

  it('grows exponentially with full jitter', () => {
    const policy: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'full' };
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n, 0, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(policy, 3, 0, () => 0)).toBe(0);
  });

  it('grows up to three times the previous delay with decorrelated jitter', () => {
    const policy: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'decorrelated' };
    expect(backoffDelay(policy, 2, 4_000, () => 0.999_999)).toBe(12_000);
    expect(backoffDelay(policy, 2, 4_000, () => 0)).toBe(1_000);
    expect(backoffDelay(policy, 9, 20_000, () => 0.999_999)).toBe(30_000);
  });

  it('spreads a group of clients out', () => {
    const random = mulberry32(7);
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(DEFAULT_BACKOFF, 1, 1_000, random)));
    expect(delays.size).toBeGreaterThan(15);
  });
});
