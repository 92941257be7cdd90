import type { CachedNowPlaying, NowPlaying } from './now-playing';

/**
 * The shared, debounced now-playing state of each member, read by every process and screen.
 * Two writer roles, kept apart: fetchers `put` what Spotify answered; player commands
 * `invalidate` (the state before the command is not served again, and states fetched while it
 * settles are short-lived). Neither write can undo the other.
 */
export interface NowPlayingCache {
  get(memberId: string): Promise<CachedNowPlaying | null>;
  put(memberId: string, v: { state: NowPlaying; fetchedAt: number; noneSince: number }): Promise<void>;
  invalidate(memberId: string, at: number, settleUntil: number): Promise<void>;
  remove(memberId: string): Promise<void>;
}
