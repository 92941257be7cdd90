import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../../core/sync';
import type { HeartRate, MatchedPlay } from './annotate-match';
import type { AnnotateStore } from './annotate-store';

/**
 * One suite for every AnnotateStore (session tracks). Concurrency cases: 200 parallel
 * `ensureJob` calls for one session create exactly one job; runners racing to save the same
 * plays never duplicate one and the counts of created plays add up to the plays.
 */
export interface AnnotateStoreFixture {
  store: AnnotateStore;
  newMember(): Promise<string>;
  /** A synced session as the sync feature stores it (`record` a live session or a tombstone). */
  seedSession(memberId: string, sessionId: string, record: unknown, seq: number): Promise<void>;
  dispose(): Promise<void>;
}

const T = 1_780_000_000_000;
const hlc = (ms: number) => formatHlc({ ms, counter: 0, deviceId: 'dev-1' });

export const liveRecord = (id: string, startedAt: number, endedAt: number | null) => ({
  kind: 'live',
  id,
  startedAt,
  plan: null,
  summary: endedAt === null ? null : { endedAt, durationMs: endedAt - startedAt, readingCount: 10, avgBpm: 120, maxBpm: 150, energyKj: null },
  title: { value: 'Ride', hlc: hlc(startedAt) },
  notes: { value: '', hlc: hlc(startedAt) },
  tags: { value: [], hlc: hlc(startedAt) },
});

const play = (trackId: string, playedAt: number, hr: Partial<HeartRate> = {}): MatchedPlay & { hr: HeartRate } => ({
  trackId,
  uri: `spotify:track:${trackId}`,
  name: `Song ${trackId}`,
  artists: ['A'],
  album: null,
  albumArtUrl: null,
  durationMs: 180_000,
  playedAt,
  startAt: playedAt - 180_000,
  fromMs: playedAt - 180_000,
  toMs: playedAt,
  hr: { avgBpm: 130, peakBpm: 150, samples: 100, ...hr },
});

export function annotateStoreContract(make: () => Promise<AnnotateStoreFixture>) {
  const run = (fn: (f: AnnotateStoreFixture) => Promise<void>) => async () => {
    const f = await make();
    try {
      await fn(f);
    } finally {
      await f.dispose();
    }
  };

  describe('annotate (session tracks) store contract', () => {
    it(
      '200 parallel ensureJob calls for one session: exactly one job',
      run(async ({ store, newMember }) => {
        const m = await newMember();
        const s = randomUUID();
        await Promise.all(Array.from({ length: 200 }, () => store.ensureJob(m, s, T)));
        const job = await store.jobOf(m, s);
        expect(job).toMatchObject({ memberId: m, sessionId: s, state: 'pending', runs: 0, nextRunAt: T, incomplete: false });
        expect((await store.due(T, 500)).filter((j) => j.memberId === m)).toHaveLength(1);
        await store.updateJob(job!.id, { state: 'done', runs: 1, last_run_at: T + 5, incomplete: true });
        expect(await store.job(job!.id)).toMatchObject({ state: 'done', runs: 1, lastRunAt: T + 5, incomplete: true });
        expect((await store.due(T, 500)).filter((j) => j.memberId === m)).toHaveLength(0);
        const old = randomUUID();
        await store.ensureJob(m, old, T, { tooOld: true });
        expect(await store.jobOf(m, old)).toMatchObject({ state: 'done', incomplete: true });
      }),
    );

    it(
      'runners racing to save the same plays: no duplicate, created counts add up, heart rate updated',
      run(async ({ store, newMember }) => {
        const m = await newMember();
        const s = randomUUID();
        const plays = [play('a', T + 200_000), play('b', T + 400_000), play('c', T + 600_000)];
        const created = await Promise.all(Array.from({ length: 6 }, () => store.saveTracks(m, s, plays)));
        expect(created.reduce((x, y) => x + y, 0)).toBe(3);
        expect((await store.tracks(m, s)).map((t) => t.trackId)).toEqual(['a', 'b', 'c']);
        expect(await store.saveTracks(m, s, [play('a', T + 200_000, { avgBpm: 140, samples: 120 })])).toBe(0);
        expect((await store.tracks(m, s))[0]).toMatchObject({ trackId: 'a', avgBpm: 140, samples: 120, startAt: T + 20_000 });
        expect((await store.allTracks(m)).map((t) => [t.trackId, t.sessionId])).toEqual([
          ['c', s],
          ['b', s],
          ['a', s],
        ]);
        await store.removeSessionTracks(m, s);
        expect(await store.tracks(m, s)).toEqual([]);
      }),
    );

    it(
      'synced sessions: finished, unfinished and deleted ones, in log order; the scan cursor',
      run(async ({ store, newMember, seedSession }) => {
        const m = await newMember();
        const [done, open, gone] = [randomUUID(), randomUUID(), randomUUID()];
        await seedSession(m, done, liveRecord(done, T, T + 3_600_000), 1);
        await seedSession(m, open, liveRecord(open, T, null), 2);
        await seedSession(m, gone, { kind: 'tombstone', id: gone, deletedAt: hlc(T) }, 3);
        expect(await store.finishedSession(m, done)).toEqual({ sessionId: done, startedAt: T, endedAt: T + 3_600_000 });
        expect(await store.finishedSession(m, open)).toBe('unfinished');
        expect(await store.finishedSession(m, gone)).toBe('gone');
        expect(await store.finishedSession(m, randomUUID())).toBe('gone');
        expect(await store.ownsSession(m, open)).toBe(true);
        expect(await store.ownsSession(await newMember(), done)).toBe(false);
        expect(await store.sessionsChangedAfter(m, 0, 10)).toEqual({ finished: [{ sessionId: done, startedAt: T, endedAt: T + 3_600_000 }], deleted: [gone], maxSeq: 3, more: false });
        expect(await store.sessionsChangedAfter(m, 1, 1)).toEqual({ finished: [], deleted: [], maxSeq: 2, more: true });
        expect(await store.scanCursor(m)).toBe(0);
        await Promise.all([store.setScanCursor(m, 2), store.setScanCursor(m, 2)]);
        expect(await store.scanCursor(m)).toBe(2);
      }),
    );
  });
}
