import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLease, type LeaseStore } from './lease-store';

/**
 * One suite for every LeaseStore. Concurrency cases: N parallel acquirers of a free key, and of
 * a key whose holder was killed (never releases), each have exactly one winner; a holder's late
 * release never frees the lease someone took over from it.
 */
export interface LeaseStoreFixture {
  /** Two stores as two server processes would hold them (same storage, different holders). */
  stores: [LeaseStore, LeaseStore];
  dispose(): Promise<void>;
}

export function leaseStoreContract(make: () => Promise<LeaseStoreFixture>) {
  const key = () => `test:${randomBytes(6).toString('hex')}`;
  const run = (fn: (f: LeaseStoreFixture) => Promise<void>) => async () => {
    const f = await make();
    try {
      await fn(f);
    } finally {
      await f.dispose();
    }
  };

  describe('lease store contract', () => {
    it(
      'one holder at a time; release frees it',
      run(async ({ stores: [a, b] }) => {
        const k = key();
        const first = await a.tryAcquire(k, 10_000, 1_000);
        expect(isLease(first)).toBe(true);
        expect(await b.tryAcquire(k, 10_000, 2_000)).toEqual({ heldUntil: 11_000 });
        if (isLease(first)) await first.release();
        expect(isLease(await b.tryAcquire(k, 10_000, 3_000))).toBe(true);
      }),
    );

    it(
      'N parallel acquirers of a free key: exactly one wins',
      run(async ({ stores: [a, b] }) => {
        const k = key();
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).tryAcquire(k, 10_000, 1_000)));
        expect(answers.filter(isLease)).toHaveLength(1);
      }),
    );

    it(
      'a holder killed half-way (never releases) is taken over after its TTL by exactly one of N',
      run(async ({ stores: [a, b] }) => {
        const k = key();
        const dead = await a.tryAcquire(k, 5_000, 1_000);
        expect(isLease(dead)).toBe(true);
        // Before the TTL: still held.
        expect(isLease(await b.tryAcquire(k, 5_000, 5_999))).toBe(false);
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).tryAcquire(k, 5_000, 6_001)));
        const winners = answers.filter(isLease);
        expect(winners).toHaveLength(1);
        // The dead holder wakes up and releases: the new holder keeps its lease.
        if (isLease(dead)) await dead.release();
        expect(await b.tryAcquire(k, 5_000, 7_000)).toEqual({ heldUntil: 11_001 });
        await winners[0]!.release();
        expect(isLease(await b.tryAcquire(k, 5_000, 7_000))).toBe(true);
      }),
    );
  });
}
