/**
 * Backoff: how long to wait before retry `attempt` after consecutive failures. The one copy of
 * the rule for every retry loop (strap reconnects, live sockets, the PWA's sync scheduler,
 * Spotify token refreshes); each caller only picks a policy. Pure: randomness is a parameter.
 *
 * The schemes are Marc Brooker's, "Exponential Backoff And Jitter" (AWS Architecture Blog,
 * 2015), over the exponential ceiling min(cap, base × 2^(attempt−1)):
 * - "full": uniform in [0, ceiling]. Spreads a crowd of clients best.
 * - "equal": ceiling/2 plus uniform in [0, ceiling/2]. Never retries at once.
 * - "decorrelated": uniform in [base, 3 × previous delay], capped. Keeps a floor of `base`
 *   between tries (a BLE connect right after a drop usually fails) while still spreading
 *   clients out; it needs the previous delay instead of the attempt number.
 * `minMs` raises every delay to at least that much (after jitter).
 *
 * Invariants (backoff.test.ts, property tests): minMs ≤ delay ≤ max(cap, minMs); "decorrelated"
 * and "equal" never go below base and ceiling/2; the ceiling doubles per attempt up to the cap.
 */

export type Jitter = 'full' | 'equal' | 'decorrelated';

export interface BackoffPolicy {
  baseMs: number;
  /** Longest wait between two tries. */
  capMs: number;
  jitter: Jitter;
  /** Shortest wait ever returned; 0 when absent. */
  minMs?: number;
}

/** The un-jittered delay before retry `attempt` (1 for the first retry; smaller counts as 1). */
export function backoffCeiling(policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>, attempt: number): number {
  // 2^52 × base is beyond any cap already; clamping keeps the power finite.
  const doublings = Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(policy.capMs, policy.baseMs * 2 ** doublings);
}

/**
 * @param attempt 1 for the first retry after a failure.
 * @param previousMs the delay chosen before the previous attempt (only "decorrelated" reads
 *   it); `baseMs` or 0 for the first.
 * @param random uniform in [0, 1).
 * @returns whole milliseconds.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, previousMs: number, random: () => number): number {
  const { baseMs, capMs, jitter } = policy;
  let delay: number;
  if (jitter === 'decorrelated') {
    const upper = Math.max(baseMs, previousMs * 3);
    delay = Math.min(capMs, baseMs + random() * (upper - baseMs));
  } else {
    const ceiling = backoffCeiling(policy, attempt);
    delay = jitter === 'full' ? random() * ceiling : ceiling * (0.5 + random() * 0.5);
  }
  return Math.max(policy.minMs ?? 0, Math.round(delay));
}
