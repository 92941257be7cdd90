/**
 * Reconnect delays with "decorrelated jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015): each delay is drawn from [base, previous × 3], capped. Many screens dropped by
 * one server restart therefore come back spread out instead of all at once.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const LIVE_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/** The next delay after `previousMs` (0 for the first attempt); `random` in [0, 1). */
export function nextBackoffMs(previousMs: number, random: number, { baseMs, capMs }: BackoffOptions = LIVE_BACKOFF): number {
  const high = Math.max(baseMs, previousMs * 3);
  return Math.min(capMs, Math.round(baseMs + random * (high - baseMs)));
}
