import { backoffDelay, type BackoffPolicy } from '../../../core/retry/backoff';

/**
 * Timing rules of the grant engine, for every provider (spotify-emulator.md §3). Randomness is a
 * parameter so tests can pin it.
 */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** A token with less than this left is refreshed before the call, not after it fails. */
export const JUST_IN_TIME_MS = 60_000;
export const MAX_BACKOFF_MS = 30_000;

/** Refresh ahead of expiry: 5 minutes, plus up to a minute of jitter so grants spread out. */
export function refreshAheadMs(random: () => number): number {
  return REFRESH_AHEAD_MS + Math.floor(random() * 60_000);
}

/** Token refreshes after transient failures: 1 s doubling to 30 s, "equal" jitter, never under 250 ms. */
export const REFRESH_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: MAX_BACKOFF_MS, jitter: 'equal', minMs: 250 };

/** Backoff after `failures` consecutive transient failures (core/retry: the one copy of the rule). */
export function backoffMs(failures: number, random: () => number): number {
  return backoffDelay(REFRESH_BACKOFF, failures, 0, random);
}
