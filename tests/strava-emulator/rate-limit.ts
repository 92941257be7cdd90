/**
 * Per-application rate limits (README "Rate limits"): an overall limit and a "non-upload" (read)
 * limit, each per 15 minutes and per day. Windows start at natural 15-minute boundaries (:00, :15,
 * :30, :45) and at midnight UTC. Every API request counts, and a refused one still counts toward
 * the daily usage. Every API answer carries the headers.
 */
import type { Knobs, RateWindow, StravaState } from './state';

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

export const windowStart15 = (t: number) => Math.floor(t / QUARTER) * QUARTER;
export const dayStart = (t: number) => Math.floor(t / DAY) * DAY;

function windowOf(s: StravaState, clientId: string): RateWindow {
  const now = s.clock.now();
  let w = s.rates.get(clientId);
  if (!w) {
    w = { window15: windowStart15(now), day: dayStart(now), used15: 0, usedDay: 0, read15: 0, readDay: 0 };
    s.rates.set(clientId, w);
  }
  if (w.window15 !== windowStart15(now)) {
    w.window15 = windowStart15(now);
    w.used15 = 0;
    w.read15 = 0;
  }
  if (w.day !== dayStart(now)) {
    w.day = dayStart(now);
    w.usedDay = 0;
    w.readDay = 0;
  }
  return w;
}

export function rateHeaders(k: Knobs, w: RateWindow): Record<string, string> {
  return {
    'X-RateLimit-Limit': `${k.limit15},${k.limitDay}`,
    'X-RateLimit-Usage': `${w.used15},${w.usedDay}`,
    'X-ReadRateLimit-Limit': `${k.readLimit15},${k.readLimitDay}`,
    'X-ReadRateLimit-Usage': `${w.read15},${w.readDay}`,
  };
}

/** Counts one request; `exceeded` when it is over a limit (it is counted all the same). */
export function countRequest(s: StravaState, clientId: string, isUpload: boolean): { exceeded: boolean; headers: Record<string, string> } {
  const w = windowOf(s, clientId);
  const k = s.knobs;
  w.used15 += 1;
  w.usedDay += 1;
  if (!isUpload) {
    w.read15 += 1;
    w.readDay += 1;
  }
  const exceeded = w.used15 > k.limit15 || w.usedDay > k.limitDay || (!isUpload && (w.read15 > k.readLimit15 || w.readDay > k.readLimitDay));
  return { exceeded, headers: rateHeaders(k, w) };
}
