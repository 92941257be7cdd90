/**
 * What a resting check (core/workout/presets.ts restingCheckPlan) measured: a resting heart rate
 * and an RMSSD from its measure window, the spans of its one work phase (after the settle
 * minute), or a reason why it gives none. Pure: no IO.
 *
 * Rules (ours, after the sources below):
 * - **Resting HR** = the time-weighted mean heart rate of the window's final 60 s, rounded to
 *   whole bpm: the end of a still period, when the drop after lying down is over. A mean, not
 *   the lowest rolling mean, so a single quiet stretch does not bias it low.
 * - **RMSSD** over the whole window's RR intervals with core/workout/rmssd.ts and its artifact
 *   rules (Task Force of the ESC and NASPE 1996, Circulation 93(5):1043-1065). Ultra-short
 *   readings of 1 min and more, taken after a period to stabilise, agree with the 5-min standard
 *   for RMSSD (Esco & Flatt 2014, J Sports Sci Med 13(3):535-541; Munoz et al. 2015, PLoS ONE
 *   10(9):e0138921), which is why a settle minute and a two-minute window suffice.
 * - **No value** when the window ran less than 60 s (`too_short`: stopped early); when fewer than
 *   MIN_CLEAN_BEATS RR intervals passed the artifact rules, more than MAX_REJECTED_SHARE of them
 *   were rejected, or valid readings cover less than MIN_COVERAGE of the final 60 s
 *   (`too_few_beats`: a loose strap, no RR, movement artifacts); or when the 15-s mean heart rates
 *   of the final 60 s spread over more than MAX_SPREAD_BPM (`not_settled`: moving, talking,
 *   still settling). Breathing swings the beat-to-beat rate by 10-20 bpm in fit people
 *   (respiratory sinus arrhythmia), but a 15-s mean spans several breaths, so its spread at
 *   rest stays within a few bpm.
 */
import { hrStats } from './hr-stats';
import { heldSegmentsIn, sortedReadings, type Reading } from './readings';
import { rmssd, type Rmssd } from './rmssd';

export interface TimeSpan {
  start: number;
  end: number;
}

export const RESTING_CHECK_RULES = {
  finalMs: 60_000,
  blockMs: 15_000,
  maxSpreadBpm: 10,
  minCleanBeats: 40,
  maxRejectedShare: 0.2,
  minCoverage: 0.8,
} as const;

export type RestingCheckProblem = 'too_short' | 'too_few_beats' | 'not_settled';

export type RestingCheckResult =
  | { ok: true; restingHr: number; rmssd: Rmssd; spreadBpm: number }
  | { ok: false; reason: RestingCheckProblem };

export const RESTING_CHECK_PROBLEMS: Record<RestingCheckProblem, string> = {
  too_short: 'The check was stopped before a minute of measuring.',
  too_few_beats: 'Too few clean beats: check that the strap is moist and snug, and stay still.',
  not_settled: 'Your heart rate did not settle: lie or sit still and breathe normally.',
};

/** The parts of `spans` between `fromMs` and `toMs` of their combined running time. */
export function spansBetween(spans: readonly TimeSpan[], fromMs: number, toMs: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  let before = 0;
  for (const s of spans) {
    const len = Math.max(0, s.end - s.start);
    const start = s.start + Math.max(0, fromMs - before);
    const end = s.start + Math.min(len, toMs - before);
    if (end > start) out.push({ start, end });
    before += len;
  }
  return out;
}

/** The time-weighted mean heart rate over the spans and the time valid readings cover. */
function meanOver(readings: readonly Reading[], spans: readonly TimeSpan[]) {
  return hrStats(heldSegmentsIn(readings, spans));
}

/** `window`: the measure phase's spans (several when it was paused), in time order. */
export function measureRestingCheck(input: readonly Reading[], window: readonly TimeSpan[]): RestingCheckResult {
  const R = RESTING_CHECK_RULES;
  const total = window.reduce((n, s) => n + Math.max(0, s.end - s.start), 0);
  if (total < R.finalMs) return { ok: false, reason: 'too_short' };
  const readings = sortedReadings(input);
  const inWindow = readings.filter((r) => window.some((s) => r.t >= s.start && r.t < s.end));
  const hrv = rmssd(inWindow);
  const final = meanOver(readings, spansBetween(window, total - R.finalMs, total));
  const seen = hrv ? hrv.accepted + hrv.rejected : 0;
  if (!hrv || !final || hrv.accepted < R.minCleanBeats || hrv.rejected > R.maxRejectedShare * seen || final.coveredMs < R.minCoverage * R.finalMs) {
    return { ok: false, reason: 'too_few_beats' };
  }
  const blocks: number[] = [];
  for (let from = total - R.finalMs; from < total; from += R.blockMs) {
    const m = meanOver(readings, spansBetween(window, from, from + R.blockMs));
    if (m) blocks.push(m.avgBpm);
  }
  const spreadBpm = Math.max(...blocks) - Math.min(...blocks);
  if (spreadBpm > R.maxSpreadBpm) return { ok: false, reason: 'not_settled' };
  return { ok: true, restingHr: Math.round(final.avgBpm), rmssd: hrv, spreadBpm };
}
