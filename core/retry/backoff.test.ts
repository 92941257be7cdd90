import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../heart-rate/prng';
import { backoffCeiling, backoffDelay, type BackoffPolicy, type Jitter } from './backoff';

const JITTERS: Jitter[] = ['full', 'equal', 'decorrelated'];
const policyArb = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 10_000 }),
    extra: fc.integer({ min: 0, max: 1_000_000 }),
    jitter: fc.constantFrom(...JITTERS),
    minMs: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
  })
  .map(({ baseMs, extra, jitter, minMs }): BackoffPolicy => ({ baseMs, capMs: baseMs + extra, jitter, ...(minMs === undefined ? {} : { minMs }) }));

describe('backoffDelay', () => {
  it('stays within [minMs, max(cap, minMs)] for any policy, attempt and random source', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 200 }), fc.integer(), (policy, attempts, seed) => {
        const random = mulberry32(seed);
        let previous = policy.baseMs;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          const delay = backoffDelay(policy, attempt, previous, random);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(policy.minMs ?? 0);
          expect(delay).toBeLessThanOrEqual(Math.max(policy.capMs, policy.minMs ?? 0));
          if (policy.jitter === 'decorrelated') expect(delay).toBeGreaterThanOrEqual(policy.baseMs);
          if (policy.jitter === 'equal') expect(delay).toBeGreaterThanOrEqual(Math.floor(backoffCeiling(policy, attempt) / 2));
          previous = delay;
        }
      }),
    );
  });

  it('the ceiling doubles per attempt up to the cap and never shrinks', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: -5, max: 2000 }), (policy, attempt) => {
        const a = backoffCeiling(policy, attempt);
        const b = backoffCeiling(policy, attempt + 1);
        expect(b).toBeGreaterThanOrEqual(a);
        expect(b).toBeLessThanOrEqual(Math.min(policy.capMs, 2 * a));
        expect(Number.isFinite(b)).toBe(true);
      }),
    );
  });

  it('is monotonic in the random draw (a larger draw never waits less)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (policy, attempt, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const previous = backoffCeiling(policy, attempt);
        expect(backoffDelay(policy, attempt, previous, () => lo)).toBeLessThanOrEqual(backoffDelay(policy, attempt, previous, () => hi));
      }),
    );
  });

  it('full jitter grows exponentially', () => {
    const policy: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'full' };
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n, 0, top))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(policy, 3, 0, () => 0)).toBe(0);
  });

  it('decorrelated jitter grows up to three times the previous delay', () => {
    const policy: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'decorrelated' };
    expect(backoffDelay(policy, 2, 4_000, () => 0.999_999)).toBe(12_000);
    expect(backoffDelay(policy, 2, 4_000, () => 0)).toBe(1_000);
    expect(backoffDelay(policy, 9, 20_000, () => 0.999_999)).toBe(30_000);
    // The first delay (no previous one) is the base.
    expect(backoffDelay({ baseMs: 500, capMs: 10_000, jitter: 'decorrelated' }, 0, 0, () => 0.99)).toBe(500);
  });

  it('expresses the Spotify token refresh backoff: equal jitter, 1 s doubling to 30 s, at least 250 ms', () => {
    // sync-server/src/spotify/timing.ts backoffMs(failures, random) is this policy.
    const refresh: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'equal', minMs: 250 };
    expect(backoffDelay(refresh, 1, 0, () => 0)).toBe(500);
    expect(backoffDelay(refresh, 1, 0, () => 1)).toBe(1_000);
    expect(backoffDelay(refresh, 20, 0, () => 1)).toBe(30_000);
    expect(backoffDelay(refresh, 3, 0, () => 0)).toBe(2_000);
    expect(backoffDelay({ ...refresh, baseMs: 100 }, 1, 0, () => 0)).toBe(250);
  });

  it('spreads a group of clients out', () => {
    const random = mulberry32(7);
    for (const jitter of JITTERS) {
      const delays = new Set(Array.from({ length: 20 }, () => backoffDelay({ baseMs: 1_000, capMs: 30_000, jitter }, 3, 1_000, random)));
      expect(delays.size, jitter).toBeGreaterThan(15);
    }
  });
});
