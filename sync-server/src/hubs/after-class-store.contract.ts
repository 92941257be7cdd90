/**
 * What every AfterClassStore (after-class-store.ts) must do, run against the in-memory store
 * (after-class-store.memory.test.ts) and PocketBase (tests/integration/stores/after-class-store.pb.test.ts),
 * with the concurrency cases the two server processes meet: racing recorders, racing holds.
 */
import { describe, expect, it } from 'vitest';
import { liveSession } from '../../../core/sync/testing/fixtures';
import type { AfterClassStore, ClassKey, HeldWorkout } from './after-class-store';

const id15 = () => Array.from({ length: 15 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');

function workout(title: string, chunks = 2): HeldWorkout {
  const session = liveSession({ startedAt: 1_760_000_000_000, deviceId: `hub-${title}`, title });
  return {
    session,
    chunks: Array.from({ length: chunks }, (_, index) => ({
      index,
      sealed: true,
      payload: 'AAAA',
      sha256: 'a'.repeat(64),
      readingCount: 1,
      firstT: 1_760_000_000_000 + index * 1000,
      lastT: 1_760_000_000_000 + index * 1000,
    })),
  };
}

export function afterClassStoreContract(name: string, make: () => Promise<AfterClassStore>) {
  describe(`AfterClassStore contract (${name})`, () => {
    const key = (): ClassKey => ({ user: id15(), room: id15(), runStartedAt: 1_760_000_000_000 });

    it('records each recorder once, and tells one recorder from the other, and one class from another', async () => {
      const store = await make();
      const k = key();
      expect(await store.recorded(k, 'hub')).toBe(false);
      await store.markRecorder(k, 'hub', 's1');
      await store.markRecorder(k, 'hub', 's1');
      expect(await store.recorded(k, 'hub')).toBe(true);
      expect(await store.recorded(k, 'phone')).toBe(false);
      expect(await store.recorded({ ...k, runStartedAt: k.runStartedAt + 1 }, 'hub')).toBe(false);
      expect(await store.recorded({ ...k, user: id15() }, 'hub')).toBe(false);
    });

    it('40 racing writers of one recorder row: none fails, and the row exists', async () => {
      const store = await make();
      const k = key();
      const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => store.markRecorder(k, i % 2 ? 'hub' : 'phone', `s${i}`)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await store.recorded(k, 'hub')).toBe(true);
      expect(await store.recorded(k, 'phone')).toBe(true);
    });

    it('holds a guest workout whole, per participant and run; a repeat replaces it', async () => {
      const store = await make();
      const p = id15();
      const room = id15();
      expect(await store.held(p, 1)).toBeNull();
      await store.hold(p, room, 1, workout('first', 2));
      expect((await store.held(p, 1))?.session.title.value).toBe('first');
      expect(await store.held(p, 2)).toBeNull();
      expect(await store.held(id15(), 1)).toBeNull();
      await store.hold(p, room, 1, workout('again', 3));
      const again = await store.held(p, 1);
      expect(again?.session.title.value).toBe('again');
      expect(again?.chunks).toHaveLength(3);
    });

    it('20 racing holds of one participant and run end with one whole workout (never parts of two)', async () => {
      const store = await make();
      const p = id15();
      const room = id15();
      const written = Array.from({ length: 20 }, (_, i) => workout(`w${i}`, 1 + (i % 4)));
      const results = await Promise.allSettled(written.map((w) => store.hold(p, room, 7, w)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const got = await store.held(p, 7);
      const match = written.find((w) => w.session.title.value === got?.session.title.value);
      expect(match).toBeDefined();
      expect(got).toEqual(match);
    });
  });
}
