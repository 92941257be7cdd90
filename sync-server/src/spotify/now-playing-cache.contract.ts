import { describe, expect, it } from 'vitest';
import { isServable, NOTHING, PLAYER_SETTLE_MS, type NowPlaying } from './now-playing';
import type { NowPlayingCache } from './now-playing-cache';

/**
 * One suite for every NowPlayingCache. Concurrency case: a player command's invalidation is
 * never undone by fetchers writing states at the same time (they used to share one record).
 */
export interface NowPlayingCacheFixture {
  cache: NowPlayingCache;
  newMember(): Promise<string>;
  dispose(): Promise<void>;
}

const track = (id: string): NowPlaying => ({ ...NOTHING, type: 'track', isPlaying: true, durationMs: 1000, item: { id, uri: `spotify:track:${id}`, name: id, artists: [], album: null, albumArtUrl: null } });

export function nowPlayingCacheContract(make: () => Promise<NowPlayingCacheFixture>) {
  const run = (fn: (f: NowPlayingCacheFixture) => Promise<void>) => async () => {
    const f = await make();
    try {
      await fn(f);
    } finally {
      await f.dispose();
    }
  };

  describe('now-playing cache contract', () => {
    it(
      'put, get, invalidate and remove',
      run(async ({ cache, newMember }) => {
        const m = await newMember();
        expect(await cache.get(m)).toBeNull();
        await cache.put(m, { state: track('a'), fetchedAt: 1_000, noneSince: 0 });
        const c = (await cache.get(m))!;
        expect(c).toMatchObject({ state: track('a'), fetchedAt: 1_000, noneSince: 0 });
        expect(isServable(c, 2_000)).toBe(true);
        await cache.invalidate(m, 2_000, 2_000 + PLAYER_SETTLE_MS);
        const after = (await cache.get(m))!;
        expect(after).toMatchObject({ invalidatedAt: 2_000, settleUntil: 2_000 + PLAYER_SETTLE_MS });
        expect(isServable(after, 2_001)).toBe(false);
        await cache.remove(m);
        expect(await cache.get(m)).toBeNull();
      }),
    );

    it(
      'a command invalidating while fetchers write: the invalidation is never lost',
      run(async ({ cache, newMember }) => {
        const m = await newMember();
        await cache.put(m, { state: track('old'), fetchedAt: 1_000, noneSince: 0 });
        const writes: Promise<void>[] = [];
        for (let i = 0; i < 20; i++) {
          writes.push(cache.put(m, { state: track(`s${i}`), fetchedAt: 1_000 + i, noneSince: 0 }));
          if (i === 10) writes.push(cache.invalidate(m, 5_000, 6_500));
        }
        await Promise.all(writes);
        const c = (await cache.get(m))!;
        expect(c).toMatchObject({ invalidatedAt: 5_000, settleUntil: 6_500 });
        // Every state written was fetched before the command: none is served after it.
        expect(isServable(c, 5_001)).toBe(false);
      }),
    );
  });
}
