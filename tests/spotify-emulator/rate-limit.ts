/**
 * G3: rolling window per Client ID. G4: quota per developer account per period. Only admitted
 * calls count (our choice, C); rejected ones do not extend the window.
 */
import type { Knobs } from './knobs';

export interface RateState {
  /** Admission times per Client ID, oldest first. */
  windows: Map<string, number[]>;
  /** Period start and count per developer account. */
  quotas: Map<string, { start: number; count: number }>;
}

export type Admission =
  | { ok: true }
  | { ok: false; kind: 'rate'; retryAfterS: number }
  | { ok: false; kind: 'quota'; retryAfterS: number };

export function createRateState(): RateState {
  return { windows: new Map(), quotas: new Map() };
}

export function admit(state: RateState, knobs: Knobs, clientId: string, developer: string, now: number): Admission {
  const quota = knobs.quota;
  let period = state.quotas.get(developer);
  if (quota) {
    if (!period || now >= period.start + quota.periodMs) {
      period = { start: now, count: 0 };
      state.quotas.set(developer, period);
    }
    if (period.count >= quota.calls) {
      const left = Math.ceil((period.start + quota.periodMs - now) / 1000);
      return { ok: false, kind: 'quota', retryAfterS: quota.retryAfterS ?? Math.max(1, left) };
    }
  }
  const rate = knobs.rateLimit;
  const window = (state.windows.get(clientId) ?? []).filter((t) => rate === null || t > now - rate.windowMs);
  state.windows.set(clientId, window);
  if (rate && window.length >= rate.calls) {
    const oldest = window[0] ?? now;
    const left = Math.ceil((oldest + rate.windowMs - now) / 1000);
    return { ok: false, kind: 'rate', retryAfterS: rate.retryAfterS ?? Math.max(1, left) };
  }
  if (rate) window.push(now);
  if (quota && period) period.count += 1;
  return { ok: true };
}
