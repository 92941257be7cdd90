/**
 * The resting check in the PWA: which sessions are one, what they measured (core/workout
 * measureRestingCheck over the measure phase), and "use it as my resting HR", which saves the
 * profile through the settings store (a synced document: only the changed register is sent).
 */
import { measureRestingCheck, type PhaseSpan, type Profile, type Reading, type RestingCheckResult } from '$core/workout';
import type { SessionRow, SessionStore, SettingsStore } from '$lib/storage';

// Which sessions are checks is its own small module: the workout screen needs it before first
// paint, this module only once a check has finished (it is loaded then).
export { isRestingCheck } from './resting-check-kind';

/** What the check measured, over the spans of its measure (work) phase. */
export function restingCheckResult(readings: readonly Reading[], spans: readonly PhaseSpan[]): RestingCheckResult {
  return measureRestingCheck(readings, spans.filter((s) => s.phase.kind === 'work'));
}

/** The end screen's result: the session's readings from this device's store. */
export async function loadRestingCheckResult(sessions: Pick<SessionStore, 'readings'>, row: SessionRow): Promise<RestingCheckResult> {
  return restingCheckResult(await sessions.readings(row.id), row.phases);
}

/**
 * Saves `bpm` as the profile's resting HR: the saved profile's other values stay; without one,
 * `fallback` (the profile the check was recorded with) fills them. False when it was refused.
 */
export async function useAsRestingHr(settings: Pick<SettingsStore, 'profile' | 'saveProfile'>, bpm: number, fallback: Profile): Promise<boolean> {
  const current = (await settings.profile()) ?? fallback;
  return (await settings.saveProfile({ ...current, restingHr: bpm })).ok;
}
