/**
 * Pure timing rules of the Spotify integration (spotify-emulator.md §3); the refresh timing
 * shared by every provider is grants/timing.ts.
 */
export { backoffMs, JUST_IN_TIME_MS, MAX_BACKOFF_MS, REFRESH_AHEAD_MS, REFRESH_BACKOFF, refreshAheadMs } from '../grants/timing';

/** Warn the member this long before their consent's 6-month end. */
export const CONSENT_WARNING_MS = 14 * 24 * 3_600_000;
export const CONSENT_LIFETIME_MONTHS = 6;

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
