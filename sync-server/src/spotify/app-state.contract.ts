import { describe, expect, it } from 'vitest';
import { BUDGET_WINDOW_MS, type AppStateStore } from './app-state';

/**
 * One suite for every AppStateStore. Concurrency cases: 200 parallel calls against the budget
 * get exactly `limit` yeses (and again once the window has passed, never more within it);
 * circuits opened concurrently never shorten each other.
 */
export interface AppStateFixture {
  /** Fresh, empty app state with this call budget; two handles as two processes would have. */
  make(limit: number): Promise<[AppStateStore, AppStateStore]>;
  dispose(): Promise<void>;
}

export function appStateContract(fixture: () => Promise<AppStateFixture>) {
  const run = (fn: (f: AppStateFixture) => Promise<void>) => async () => {
    const f = await fixture();
    try {
      await fn(f);
    } finally {
      await f.dispose();
    }
  };

  describe('app state contract', () => {
    it(
      '200 parallel calls over two processes: exactly the limit passes, and no more within the window',
      run(async (f) => {
        const [a, b] = await f.make(50);
        const t = 1_000_000;
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).takeCall('GET /v1/me', t + (i % 7))));
        expect(answers.filter((x) => x.ok)).toHaveLength(50);
        const refused = answers.find((x) => !x.ok);
        expect(refused && !refused.ok && refused.retryAfterMs).toBeGreaterThan(0);
        expect((await a.takeCall('x', t + BUDGET_WINDOW_MS - 100)).ok).toBe(false);
        const later = await Promise.all(Array.from({ length: 80 }, () => b.takeCall('x', t + BUDGET_WINDOW_MS + 10)));
        expect(later.filter((x) => x.ok)).toHaveLength(50);
      }),
    );

    it(
      'circuits: the longest open one counts, whoever opened it; the alarm is raised and cleared',
      run(async (f) => {
        const [a, b] = await f.make(10);
        expect(await a.circuit(1_000)).toBeNull();
        await Promise.all([a.openCircuit(90_000, 'quota', 1_000), b.openCircuit(5_000, 'rate', 1_000), b.openCircuit(5_000, 'rate', 1_000)]);
        expect(await b.circuit(2_000)).toEqual({ until: 90_000, reason: 'quota' });
        expect(await a.circuit(90_000)).toBeNull();
        await a.purge(100_000);
        expect(await a.circuit(1_000)).toBeNull();
        expect(await a.alarm()).toBeNull();
        await a.raiseAlarm('invalid_client', 7);
        expect(await b.alarm()).toEqual({ at: 7, reason: 'invalid_client' });
        await b.clearAlarm();
        expect(await a.alarm()).toBeNull();
      }),
    );
  });
}
