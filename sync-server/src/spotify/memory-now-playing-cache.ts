import type { CachedNowPlaying } from './now-playing';
import type { NowPlayingCache } from './now-playing-cache';

/** The now-playing cache in memory (unit tests). */
export function createMemoryNowPlayingCache(): NowPlayingCache {
  const states = new Map<string, Omit<CachedNowPlaying, 'invalidatedAt' | 'settleUntil'>>();
  const commands = new Map<string, { invalidatedAt: number; settleUntil: number }>();
  const tick = () => Promise.resolve();
  return {
    async get(id) {
      await tick();
      const s = states.get(id);
      if (!s) return null;
      const c = commands.get(id) ?? { invalidatedAt: 0, settleUntil: 0 };
      return { ...s, ...c };
    },
    async put(id, v) {
      await tick();
      states.set(id, { state: v.state, fetchedAt: v.fetchedAt, noneSince: v.noneSince });
    },
    async invalidate(id, at, settleUntil) {
      await tick();
      commands.set(id, { invalidatedAt: at, settleUntil });
    },
    async remove(id) {
      await tick();
      states.delete(id);
      commands.delete(id);
    },
  };
}
