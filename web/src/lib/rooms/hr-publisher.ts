/**
 * A participant's phone → the room: the newest heart rate from the strap, at most once per
 * `intervalMs`, with calories so far by Keytel 2005 when sex, weight and age are known, and
 * effort points so far when the class is running (`points`). A
 * reading inside a gap (0 bpm, no contact) is never sent; a dropped live link just means `send`
 * says false and the next tick tries again.
 *
 * Each frame carries the phone's own sequence number and monotonic send time (`seq`, `t`): the
 * server paces by them (core/rooms/hr-pacing.ts), so frames that a server stall bunches up are
 * not dropped as "too fast".
 */
import type { StrapEventSource } from '$core/heart-rate';
import type { HrMessage } from '$core/rooms';
import { KJ_PER_KCAL, keytelKjPerMin, type KeytelInput, type Reading } from '$core/workout';

export interface HrPace {
  seq: number;
  t: number;
}

export interface HrPublisherDeps {
  strap: StrapEventSource;
  send: (bpm: number, kcal: number | undefined, pace: HrPace, points?: number) => boolean;
  person: KeytelInput | null;
  /**
   * Effort points so far from this phone's readings (core/workout pointsForRun over the class
   * recording's timer), sent with each heart rate; undefined before the class starts.
   */
  points?: (readings: readonly Reading[]) => number | undefined;
  intervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /** A monotonic clock in ms (never jumps back with the wall clock); default performance.now. */
  now?: () => number;
}

/** The live `hr` frame for a reading. */
export function hrMessage(bpm: number, kcal: number | undefined, pace: HrPace, points?: number): HrMessage {
  return { type: 'hr', bpm, ...(kcal === undefined ? {} : { kcal }), ...(points === undefined ? {} : { points }), seq: pace.seq, t: Math.max(0, Math.round(pace.t)) };
}

/** Readings kept for points: six hours at the strap's 1 Hz, a class never runs longer. */
const MAX_KEPT_READINGS = 6 * 3600;

/** Longest stretch between two readings that still counts toward calories. */
const MAX_SEGMENT_MS = 5_000;

export function publishHeartRate(deps: HrPublisherDeps): () => void {
  let latest: { bpm: number; at: number } | null = null;
  let sentAt = -Infinity;
  let kcal = 0;
  let seq = 0;
  const kept: Reading[] = [];
  const now = deps.now ?? (() => performance.now());
  const unsubscribe = deps.strap.subscribe((event) => {
    if (event.type === 'gap-start') {
      latest = null;
      return;
    }
    if (event.type !== 'reading') return;
    const { bpm, t } = event.reading;
    const valid = bpm > 0 && event.reading.contact !== 'not-detected';
    if (latest && deps.person) {
      const dt = Math.min(t - latest.at, MAX_SEGMENT_MS);
      if (dt > 0) kcal += (keytelKjPerMin(latest.bpm, deps.person) * dt) / 60_000 / KJ_PER_KCAL;
    }
    latest = valid ? { bpm, at: t } : null;
    if (deps.points) {
      kept.push(event.reading);
      if (kept.length > MAX_KEPT_READINGS) kept.splice(0, kept.length - MAX_KEPT_READINGS);
    }
  });
  const set = deps.setInterval ?? ((f: () => void, ms: number) => globalThis.setInterval(f, ms));
  const clear = deps.clearInterval ?? ((h: unknown) => globalThis.clearInterval(h as number));
  const timer = set(() => {
    if (!latest || latest.at <= sentAt) return;
    const points = deps.points?.(kept);
    if (deps.send(Math.round(latest.bpm), deps.person ? Math.round(kcal * 10) / 10 : undefined, { seq: seq++, t: now() }, points)) sentAt = latest.at;
  }, deps.intervalMs ?? 1_000);
  return () => {
    clear(timer);
    unsubscribe();
  };
}
