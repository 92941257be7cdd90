/**
 * The wellness record a synced workout gives intervals.icu (issue 16, opt-in): the day's resting
 * heart rate (the member's profile value the workout was recorded with) and the workout's RMSSD
 * (intervals.icu's `hrv` field is RMSSD in ms; `hrvSDNN` is another). The day is the workout's
 * local calendar date (its recorded UTC offset). Pure: no IO.
 */
import type { ExportSession } from '../export/types';
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

/** null when the workout has neither a resting HR nor enough RR intervals for an RMSSD. */
export function wellnessFor(session: ExportSession): WellnessValues | null {
  const body: WellnessValues['body'] = {};
  const resting = session.profile?.restingHr;
  if (typeof resting === 'number' && resting > 0) body.restingHR = Math.round(resting);
  const hrv = session.summary ? session.summary.hrv : rmssd(session.readings.filter((r) => r.t >= session.startedAt && r.t < session.endedAt));
  if (hrv && Number.isFinite(hrv.rmssdMs) && hrv.rmssdMs > 0) body.hrv = Math.round(hrv.rmssdMs * 10) / 10;
  if (body.restingHR === undefined && body.hrv === undefined) return null;
  return { date: localDate(session.startedAt, session.tzOffsetMinutes), body };
}
