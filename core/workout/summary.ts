/**
 * The workout summary: one pass of the formulas in this folder over the recorded readings and
 * the phases actually run. Gaps (bpm 0, no skin contact, silences beyond `maxHoldMs`) are never
 * counted. Averages are time-weighted (see readings.ts).
 */
import { keytelKcal } from './calories-keytel';
import { hrStats, type HrStats } from './hr-stats';
import { intervalStats, type IntervalStats } from './interval-stats';
import type { PhaseSpan } from './phase-history';
import { maxHrFor, type Profile } from './profile';
import { DEFAULT_MAX_HOLD_MS, heldSegments, sortedReadings, type Reading } from './readings';
import { rmssd, type Rmssd } from './rmssd';
import { banisterTrimp } from './trimp-banister';
import { timeInZones } from './zone-time';
import { zonesFor } from './zones';

export interface SummaryInput {
  readings: readonly Reading[];
  /** Phases actually run (from `phaseHistory`); empty for a stopwatch workout. */
  spans: readonly PhaseSpan[];
  profile: Profile;
  /** Wall-clock bounds of the workout; readings outside are ignored. */
  startedAt: number;
  endedAt: number;
  maxHoldMs?: number;
}

export interface WorkoutSummary {
  durationMs: number;
  /** Time-weighted average, max and min over valid readings; null when there were none. */
  heartRate: HrStats | null;
  /** ms in zones 0 (Rest) to 5, by zone number. */
  timeInZoneMs: number[];
  calories: { kcal: number; estimate: true; method: 'keytel-2005' };
  trimp: { value: number; method: 'banister-1991' };
  hrv: Rmssd | null;
  intervals: IntervalStats[];
}

export function summarizeWorkout(input: SummaryInput): WorkoutSummary {
  const { profile, startedAt, endedAt } = input;
  const maxHoldMs = input.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  const readings = sortedReadings(input.readings);
  const segments = heldSegments(readings, startedAt, endedAt, maxHoldMs);
  const zones = zonesFor(profile);
  const maxHr = maxHrFor(profile);
  return {
    durationMs: Math.max(0, endedAt - startedAt),
    heartRate: hrStats(segments),
    timeInZoneMs: timeInZones(segments, zones),
    calories: { kcal: keytelKcal(segments, profile), estimate: true, method: 'keytel-2005' },
    trimp: { value: banisterTrimp(segments, { sex: profile.sex, restingHr: profile.restingHr, maxHr }), method: 'banister-1991' },
    hrv: rmssd(readings.filter((r) => r.t >= startedAt && r.t < endedAt), 2, maxHoldMs),
    intervals: intervalStats(readings, input.spans, zones, maxHoldMs),
  };
}
