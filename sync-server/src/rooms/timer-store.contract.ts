import { describe, expect, it } from 'vitest';
import { createTimer, tabataPlan, type TimerState } from '../../../core/workout';
import type { TimerStore } from './timer-store';

export interface TimerStoreHarness {
  store: TimerStore;
  /** A room id the store accepts (PocketBase: an existing room). */
  newRoom(): Promise<string>;
  dispose(): Promise<void>;
}

const at = (state: TimerState, revision: number, updatedAt = revision): TimerState => ({ ...state, revision, updatedAt });

/** What every TimerStore promises: the highest revision is current; an insert is a CAS. */
export function timerStoreContract(make: () => Promise<TimerStoreHarness>) {
  const withStore = async (fn: (h: TimerStoreHarness) => Promise<void>) => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.dispose();
    }
  };

  describe('timer store contract', () => {
    it('latest is the highest revision; rooms are independent', () =>
      withStore(async (h) => {
        const [a, b] = [await h.newRoom(), await h.newRoom()];
        expect(await h.store.latest(a)).toBeNull();
        const s0 = createTimer(tabataPlan(4));
        expect(await h.store.insert(a, s0)).toBe('ok');
        for (let r = 1; r <= 12; r++) expect(await h.store.insert(a, at(s0, r))).toBe('ok');
        expect(await h.store.latest(a)).toEqual(at(s0, 12));
        expect(await h.store.latest(b)).toBeNull();
      }));

    it('of 20 parallel inserts at one revision exactly one wins, and the winner is what is read', () =>
      withStore(async (h) => {
        const room = await h.newRoom();
        const s0 = createTimer(tabataPlan(4));
        await h.store.insert(room, s0);
        const states = Array.from({ length: 20 }, (_, i) => at(s0, 1, 1000 + i));
        const results = await Promise.all(states.map((s) => h.store.insert(room, s)));
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        expect(await h.store.latest(room)).toEqual(states[results.indexOf('ok')]);
        expect(await h.store.insert(room, at(s0, 1, 5))).toBe('lost');
      }));
  });
}
