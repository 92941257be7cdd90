/**
 * Heart-rate readings as recorded, and how they turn into time.
 *
 * A reading with bpm 0 or contact 'not-detected' is a gap: never counted. Every other reading
 * holds its value from its timestamp until the next reading (of any kind), for at most
 * `maxHoldMs` (straps notify about once a second; a longer silence is a gap, not a flat line).
 * All time-based statistics (time-weighted average, time in zone, calories, TRIMP) integrate
 * these held segments, so irregular notification rates do not bias them.
 */
export interface Reading {
  /** Wall time, ms. */
  t: number;
  bpm: number;
  /** RR intervals in 1/1024 s, as the Bluetooth Heart Rate Measurement characteristic sends them. */
  rr1024: number[];
  contact: 'detected' | 'not-detected' | 'unsupported';
}

export const DEFAULT_MAX_HOLD_MS = 5_000;

export interface HeldSegment {
  from: number;
  to: number;
  bpm: number;
}

export function isGap(r: Reading): boolean {
  return r.bpm <= 0 || r.contact === 'not-detected';
}

/** Readings in time order (a sorted copy if needed). */
export function sortedReadings(readings: readonly Reading[]): readonly Reading[] {
  const sorted = readings.every((r, i) => i === 0 || readings[i - 1]!.t <= r.t);
  return sorted ? readings : [...readings].sort((a, b) => a.t - b.t);
}

/** Held segments of valid readings, clipped to [start, end). `readings` must be in time order. */
export function heldSegments(readings: readonly Reading[], start: number, end: number, maxHoldMs = DEFAULT_MAX_HOLD_MS): HeldSegment[] {
  const segments: HeldSegment[] = [];
  // Only the last reading at or before `start` (whose hold may reach into the span) and the
  // readings before `end` can give a segment: every earlier one is held at most until the next
  // reading, at or before `start`. Found by bisection, so a short span of a long recording
  // (a phase of an hour's class, every second on a phone) costs its own readings, not all.
  for (let i = Math.max(0, lastIndexAtOrBefore(readings, start)); i < readings.length; i++) {
    const r = readings[i]!;
    if (r.t >= end) break;
    if (isGap(r)) continue;
    const next = readings[i + 1];
    const to = Math.min(next ? next.t : Infinity, r.t + maxHoldMs, end);
    const from = Math.max(r.t, start);
    if (to > from) segments.push({ from, to, bpm: r.bpm });
  }
  return segments;
}

/** Index of the last reading with t ≤ `t` (the first of equal ones is never needed), −1 if none. */
function lastIndexAtOrBefore(readings: readonly Reading[], t: number): number {
  let lo = 0;
  let hi = readings.length; // first index with readings[i].t > t lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (readings[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Held segments clipped to several spans (e.g. the pieces of one paused phase). */
export function heldSegmentsIn(readings: readonly Reading[], spans: ReadonlyArray<{ start: number; end: number }>, maxHoldMs = DEFAULT_MAX_HOLD_MS): HeldSegment[] {
  return spans.flatMap((s) => heldSegments(readings, s.start, s.end, maxHoldMs));
}

/**
 * The heart rate in force at instant `t`: the latest valid reading at or before `t` (strictly
 * before, with `strict`) still within its hold; null during a gap.
 */
export function bpmAt(readings: readonly Reading[], t: number, maxHoldMs = DEFAULT_MAX_HOLD_MS, strict = false): number | null {
  for (let i = readings.length - 1; i >= 0; i--) {
    const r = readings[i]!;
    if (strict ? r.t >= t : r.t > t) continue;
    if (isGap(r) || t - r.t > maxHoldMs) return null;
    return r.bpm;
  }
  return null;
}
