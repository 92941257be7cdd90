import { describe, expect, it } from 'vitest';
import type { Limiter } from './limiter';
import { createThrottle } from './throttle';

/**
 * Sign-in limits over a Limiter (memory and PocketBase): parallel guesses check exactly the
 * account's budget of passwords, a lock lasts a full window, success frees the account.
 */
export function throttleContract(make: () => Promise<{ limiter: Limiter; dispose(): Promise<void> }>) {
  const policy = { perAddressPerMinute: 30, lockThreshold: 5, lockWindowMs: 15 * 60_000 };
  const key = () => `k${Math.random().toString(36).slice(2)}`;

  describe('sign-in throttle contract', () => {
    it('200 parallel password checks on one account: exactly the lock threshold gets through', async () => {
      const { limiter, dispose } = await make();
      try {
        const t = createThrottle(limiter, policy);
        const account = key();
        const verdicts = await Promise.all(Array.from({ length: 200 }, () => t.attemptLogin(account, 1_000_000)));
        expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
        expect(verdicts.find((v) => !v.ok)).toEqual({ ok: false, code: 'account_locked', retryAfterSec: 15 * 60 });
      } finally {
        await dispose();
      }
    });

    it('200 parallel auth requests from one address: exactly the per-address limit passes', async () => {
      const { limiter, dispose } = await make();
      try {
        const t = createThrottle(limiter, policy);
        const address = `203.0.113.${Math.floor(Math.random() * 250)}-${key()}`;
        const verdicts = await Promise.all(Array.from({ length: 200 }, () => t.hitAddress(address, 1_000_000)));
        expect(verdicts.filter((v) => v.ok)).toHaveLength(30);
      } finally {
        await dispose();
      }
    });

    it('a successful sign-in frees the account; a lock ends a window after the first failure', async () => {
      const { limiter, dispose } = await make();
      try {
        const t = createThrottle(limiter, policy);
        const account = key();
        for (let i = 0; i < 4; i++) expect((await t.attemptLogin(account, i)).ok).toBe(true);
        expect((await t.attemptLogin(account, 10)).ok).toBe(true);
        await t.succeededLogin(account);
        for (let i = 0; i < 5; i++) expect((await t.attemptLogin(account, 100 + i)).ok).toBe(true);
        expect(await t.attemptLogin(account, 200)).toMatchObject({ ok: false, code: 'account_locked' });
        expect((await t.attemptLogin(account, 100 + 15 * 60_000)).ok).toBe(true);
      } finally {
        await dispose();
      }
    });
  });
}
