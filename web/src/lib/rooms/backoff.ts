/**
 * Live-socket reconnect delays: the shared backoff rule (core/retry/backoff.ts) with
 * decorrelated jitter, so many screens dropped by one server restart come back spread out
 * instead of all at once.
 */
import { backoffDelay } from '$core/retry';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const LIVE_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/** The next delay after `previousMs` (0 for the first attempt); `random` in [0, 1). */
export function nextBackoffMs(previousMs: number, random: number, { baseMs, capMs }: BackoffOptions = LIVE_BACKOFF): number {
  return backoffDelay({ baseMs, capMs, jitter: 'decorrelated' }, 0, previousMs, () => random);
}
