/**
 * RMSSD: root mean square of successive RR-interval differences, the standard short-term
 * time-domain HRV measure (Task Force of the ESC and NASPE 1996, "Heart rate variability:
 * standards of measurement, physiological interpretation and clinical use", Circulation
 * 93(5):1043-1065):  RMSSD = √( Σ (RRᵢ₊₁ − RRᵢ)² / N ),  N = number of successive pairs.
 *
 * Artifact filtering before it, since one missed or extra beat dominates the sum:
 * - an interval outside 300-2000 ms (200-30 bpm) is rejected;
 * - an interval differing by more than 20 % from the previous ACCEPTED interval is rejected;
 * - only pairs of accepted intervals that are adjacent in the recorded sequence count.
 * Our additions: a gap reading (no contact / bpm 0), or a silence longer than `maxHoldMs`
 * between readings, breaks the sequence (RR across it are not successive); and after
 * `RESET_AFTER_REJECTIONS` consecutive 20 %-rejections the reference restarts, so a single
 * bad first beat cannot reject the rest of a workout.
 */
import { DEFAULT_MAX_HOLD_MS, isGap, type Reading } from './readings';

export const RR_MIN_MS = 300;
export const RR_MAX_MS = 2000;
export const MAX_SUCCESSIVE_CHANGE = 0.2;
export const RESET_AFTER_REJECTIONS = 5;

export interface Rmssd {
  rmssdMs: number;
  /** Successive accepted pairs the value rests on. */
  pairs: number;
  accepted: number;
  rejected: number;
}

/** RR in 1/1024 s → ms. */
export function rr1024ToMs(rr: number): number {
  return (rr * 1000) / 1024;
}

/** Splits the readings' RR intervals into runs of truly successive beats (in ms). */
export function rrRuns(readings: readonly Reading[], maxHoldMs = DEFAULT_MAX_HOLD_MS): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  let lastT: number | null = null;
  const breakRun = () => {
    if (current.length > 0) runs.push(current);
    current = [];
  };
  for (const r of readings) {
    if (isGap(r) || (lastT !== null && r.t - lastT > maxHoldMs)) breakRun();
    lastT = r.t;
    if (!isGap(r)) current.push(...r.rr1024.map(rr1024ToMs));
  }
  breakRun();
  return runs;
}

/** Filter one run; returns successive differences of adjacent accepted beats and counts. */
function filterRun(run: readonly number[]): { diffs: number[]; accepted: number; rejected: number } {
  const diffs: number[] = [];
  let accepted = 0;
  let rejected = 0;
  let reference: number | null = null; // previous accepted interval
  let previousAccepted = false; // was the immediately preceding interval accepted?
  let streak = 0; // consecutive 20 %-rejections
  for (const rr of run) {
    const inRange = rr >= RR_MIN_MS && rr <= RR_MAX_MS;
    const jump = reference !== null && Math.abs(rr - reference) / reference > MAX_SUCCESSIVE_CHANGE;
    if (!inRange || (jump && streak + 1 < RESET_AFTER_REJECTIONS)) {
      rejected++;
      if (inRange) streak++;
      previousAccepted = false;
      continue;
    }
    // Accepted (possibly as a fresh reference after a streak of rejections).
    if (previousAccepted && reference !== null) diffs.push(rr - reference);
    accepted++;
    reference = rr;
    previousAccepted = true;
    streak = 0;
  }
  return { diffs, accepted, rejected };
}

/** RMSSD over the readings' RR intervals; null with fewer than `minPairs` successive pairs. */
export function rmssd(readings: readonly Reading[], minPairs = 2, maxHoldMs = DEFAULT_MAX_HOLD_MS): Rmssd | null {
  let sumSq = 0;
  let pairs = 0;
  let accepted = 0;
  let rejected = 0;
  for (const run of rrRuns(readings, maxHoldMs)) {
    const r = filterRun(run);
    for (const d of r.diffs) sumSq += d * d;
    pairs += r.diffs.length;
    accepted += r.accepted;
    rejected += r.rejected;
  }
  return pairs >= minPairs ? { rmssdMs: Math.sqrt(sumSq / pairs), pairs, accepted, rejected } : null;
}
