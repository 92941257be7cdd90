import { describe, expect, it } from 'vitest';
import type { Limiter } from './limiter';

/**
 * What every Limiter promises (run over memory and PocketBase): exactly `limit` passes under
 * 200 parallel calls, slots free after `windowMs`, retry-after tells when, reset frees a key.
 */
export function limiterContract(make: () => Promise<{ limiter: Limiter; dispose(): Promise<void> }>) {
  const withLimiter = async (fn: (l: Limiter) => Promise<void>) => {
    const { limiter, dispose } = await make();
    try {
      await fn(limiter);
    } finally {
      await dispose();
    }
  };
  const key = () => `test:${Math.random().toString(36).slice(2)}`;

  describe('limiter contract', () => {
    it('200 parallel calls: exactly the limit passes', () =>
      withLimiter(async (l) => {
        for (const limit of [10, 60]) {
          const k = key();
          const verdicts = await Promise.all(Array.from({ length: 200 }, () => l.consume(k, limit, 60_000, 1_000_000)));
          expect(verdicts.filter((v) => v.ok)).toHaveLength(limit);
        }
      }));

    it('a refused call says when a slot frees; the slot frees after the window', () =>
      withLimiter(async (l) => {
        const k = key();
        expect(await l.consume(k, 2, 60_000, 1_000)).toEqual({ ok: true });
        expect(await l.consume(k, 2, 60_000, 21_000)).toEqual({ ok: true });
        expect(await l.consume(k, 2, 60_000, 30_000)).toEqual({ ok: false, retryAfterMs: 31_000 });
        expect(await l.consume(k, 2, 60_000, 61_000)).toEqual({ ok: true });
        expect(await l.consume(k, 2, 60_000, 61_500)).toEqual({ ok: false, retryAfterMs: 19_500 });
      }));

    it('keys are independent; reset frees a key', () =>
      withLimiter(async (l) => {
        const [a, b] = [key(), key()];
        expect((await l.consume(a, 1, 60_000, 0)).ok).toBe(true);
        expect((await l.consume(a, 1, 60_000, 1)).ok).toBe(false);
        expect((await l.consume(b, 1, 60_000, 1)).ok).toBe(true);
        await l.reset(a);
        expect((await l.consume(a, 1, 60_000, 2)).ok).toBe(true);
        expect((await l.consume(b, 1, 60_000, 2)).ok).toBe(false);
      }));

    it('expired slots are taken over by exactly the limit of 200 parallel calls', () =>
      withLimiter(async (l) => {
        const k = key();
        for (let i = 0; i < 5; i++) expect((await l.consume(k, 5, 1_000, 0)).ok).toBe(true);
        const verdicts = await Promise.all(Array.from({ length: 200 }, () => l.consume(k, 5, 1_000, 5_000)));
        expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
      }));
  });
}
