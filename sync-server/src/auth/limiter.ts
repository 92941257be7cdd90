/**
 * An atomic rate limit: `consume` decides and records in ONE store step, so N parallel calls
 * on a key with room for `limit` let exactly `limit` through ("count, check, record" let 189 of
 * 200 parallel wrong join codes be checked: every call counted before any had recorded).
 *
 * Sliding slots: a key has `limit` slots; a call takes a free slot for `windowMs` or is refused
 * until the earliest taken slot frees (`retryAfterMs`). So no window of `windowMs` ever holds
 * more than `limit` passes, and a lock (5 failed sign-ins) lasts a full window from the 5th.
 */
export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export interface Limiter {
  consume(key: string, limit: number, windowMs: number, now: number): Promise<LimitVerdict>;
  /** Frees every slot of `key` (a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
}

/** Seconds for a Retry-After header: whole, at least 1. */
export const retryAfterSec = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
