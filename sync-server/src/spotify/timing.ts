import { backoffDelay, type BackoffPolicy } from '../../../core/retry/backoff';

/**
 * Pure timing rules of the Spotify integration (spotify-emulator.md §3). Randomness is a
 * parameter so tests can pin it.
 */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** A token with less than this left is refreshed before the call, not after it fails. */
export const JUST_IN_TIME_MS = 60_000;
export const MAX_BACKOFF_MS = 30_000;
/** Warn the member this long before their consent's 6-month end. */
export const CONSENT_WARNING_MS = 14 * 24 * 3_600_000;
export const CONSENT_LIFETIME_MONTHS = 6;

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

/**
 * Refresh tokens end 6 months after the original authorization, and refreshing does not move
 * that (Spotify blog 2026-06-18). Months are calendar months in UTC, as the emulator counts them.
 */
export function consentExpiresAt(authorizedAt: number): number {
  const d = new Date(authorizedAt);
  d.setUTCMonth(d.getUTCMonth() + CONSENT_LIFETIME_MONTHS);
  return d.getTime();
}

export function consentExpiresSoon(authorizedAt: number, now: number): boolean {
  return now >= consentExpiresAt(authorizedAt) - CONSENT_WARNING_MS;
}
