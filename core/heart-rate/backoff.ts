/**
 * Strap reconnects: the shared backoff rule (core/retry/backoff.ts) with decorrelated jitter,
 * so that a class of twenty straps that all drop when the gym's Wi-Fi router hiccups do not
 * all retry in the same instant, and a connect right after a drop (which usually fails) is not
 * tried again at once.
 */
import type { BackoffPolicy } from '../retry/backoff';

export { backoffDelay, type BackoffPolicy, type Jitter } from '../retry/backoff';

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, jitter: 'decorrelated' };
