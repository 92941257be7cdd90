/**
 * App-wide Spotify facts that every server process must obey (spotify-emulator.md §3 rule 4):
 * the 429 circuit (open until `now + Retry-After`), the invalid_client alarm, and the call
 * budget for Spotify's rolling 30-second window.
 *
 * The budget is `limit` slots, each usable once per window: a call takes a slot whose last use
 * is older than the window (a compare-and-set per slot, exactly one taker), so no 30-second
 * span ever holds more than `limit` calls, and 200 parallel callers get exactly `limit` yeses.
 */
export type CircuitReason = 'rate' | 'quota';

export const BUDGET_WINDOW_MS = 30_000;

export type BudgetAnswer = { ok: true } | { ok: false; retryAfterMs: number };

export interface AppStateStore {
  circuit(now: number): Promise<{ until: number; reason: CircuitReason } | null>;
  /** Never shortens an open circuit, whoever opens one concurrently. */
  openCircuit(until: number, reason: CircuitReason, now: number): Promise<void>;
  alarm(): Promise<{ at: number; reason: string } | null>;
  raiseAlarm(reason: 'invalid_client', now: number): Promise<void>;
  clearAlarm(): Promise<void>;
  /** Takes one call from the app-wide budget of the rolling window. */
  takeCall(route: string, now: number): Promise<BudgetAnswer>;
  /** Drops circuits that ended before `before`. */
  purge(before: number): Promise<void>;
}

/** Back-compat name: the feature's app state is this store. */
export type AppState = AppStateStore;
