/**
 * The resting check in the PWA: which sessions are one, what they measured (core/workout
 * measureRestingCheck over the measure phase), and "use it as my resting HR", which saves the
 * profile through the settings store (a synced document: only the changed register is sent).
 */
import { isRestingCheckPlan, measureRestingCheck, RESTING_CHECK_PLAN_ID, type PhaseSpan, type Profile, type Reading, type RestingCheckResult } from '$core/workout';
import type { SessionRow, SessionStore, SettingsStore } from '$lib/storage';

/** A resting check: its sync record says so (any device), or its plan is the check's (this one). */
export function isRestingCheck(row: Pick<SessionRow, 'plan' | 'record' | 'room'>): boolean {
  if (row.room) return false;
  return row.record ? row.record.plan?.planId === RESTING_CHECK_PLAN_ID : isRestingCheckPlan(row.plan);
}

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
