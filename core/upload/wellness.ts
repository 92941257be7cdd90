/**
 * The wellness record a synced session gives intervals.icu (issue 16, opt-in). intervals.icu's
 * `restingHR` is the day's resting heart rate and `hrv` is RMSSD in ms (`hrvSDNN` is another).
 * - A **resting check** (core/workout/presets.ts; its synced `plan.planId` says so) sends both,
 *   as measured in its measure window (core/workout/resting-check.ts), or nothing when it gave
 *   no value. The window is the measure phase's running spans (`{ restingCheck }`, from
 *   synced-session.ts restingCheckSpans, as the PWA measures it), not the export's merged
 *   phase, which spans a pause too.
 * - Any **other workout** sends its own RMSSD as `hrv` and never a resting HR: a value typed into
 *   the profile would overwrite, every workout day, the one a watch measured that morning.
 * The day is the session's local calendar date (its recorded UTC offset). Pure: no IO.
 */
import type { ExportSession } from '../export/types';
import { measureRestingCheck, type TimeSpan } from '../workout/resting-check';
import { rmssd } from '../workout/rmssd';

export interface WellnessValues {
  /** YYYY-MM-DD, the workout's local date. */
  date: string;
  /** PUT body for `/athlete/0/wellness/{date}`: only the fields we know. */
  body: { restingHR?: number; hrv?: number };
}

/** The local calendar date of an instant at a UTC offset (minutes east). */
export function localDate(epochMs: number, tzOffsetMinutes: number): string {
  return new Date(epochMs + tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

const rmssdField = (ms: number | undefined): number | undefined => (ms !== undefined && Number.isFinite(ms) && ms > 0 ? Math.round(ms * 10) / 10 : undefined);

/**
 * null when there is nothing to send: a workout without enough RR intervals for an RMSSD, or a
 * resting check that measured no value (stopped early, too few clean beats, not settled).
 */
export function wellnessFor(session: ExportSession, kind: { restingCheck: readonly TimeSpan[] } | 'workout'): WellnessValues | null {
  const date = localDate(session.startedAt, session.tzOffsetMinutes);
  if (kind !== 'workout') {
    const m = measureRestingCheck(session.readings, kind.restingCheck);
    if (!m.ok) return null;
    const hrv = rmssdField(m.rmssd.rmssdMs);
    return { date, body: hrv === undefined ? { restingHR: m.restingHr } : { restingHR: m.restingHr, hrv } };
  }
  const hrv = rmssdField((session.summary ? session.summary.hrv : rmssd(session.readings.filter((r) => r.t >= session.startedAt && r.t < session.endedAt)))?.rmssdMs);
  return hrv === undefined ? null : { date, body: { hrv } };
}
