/**
 * Delay before reconnect attempt n, with jitter so that a class of twenty straps that all drop
 * when the gym's Wi-Fi router hiccups do not all retry in the same instant.
 *
 * Both schemes are from Marc Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog,
 * 2015): "full" draws uniformly from [0, min(cap, base * 2^(n-1))]; "decorrelated" draws from
 * [base, 3 * previous] and caps it, which keeps a floor of `base` between tries (a BLE connect
 * right after a drop usually fails) while still spreading clients out.
 */

export type Jitter = 'full' | 'decorrelated';

export interface BackoffPolicy {
  baseMs: number;
  /** Longest wait between two tries. */
  capMs: number;
  jitter: Jitter;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'decorrelated' };

/**
 * @param attempt 1 for the first retry after a drop.
 * @param previousMs the delay chosen before the previous attempt; `baseMs` for the first.
 * @param random uniform in [0, 1).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, previousMs: number, random: () => number): number {
  const { baseMs, capMs } = policy;
  if (policy.jitter === 'full') {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 52));
    return Math.round(random() * ceiling);
  }
  const upper = Math.max(baseMs, previousMs * 3);
  return Math.round(Math.min(capMs, baseMs + random() * (upper - baseMs)));
}
