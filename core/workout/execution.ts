/**
 * What a workout executed and what its figures were computed with, frozen when the recording
 * ends (issue 12): the stopped timer (plan, pauses, skips: the planned timeline and how it was
 * bent), the phase spans as they ran, the profile, the zone offset at the start, and the summary.
 * It travels with the session (core/sync LiveSession.execution, write-once), so every device
 * shows and exports the numbers of the recording instead of working them out again with its own
 * profile and without the intervals.
 *
 * Phases are not stored: a span or interval names its `phaseIndex` in `expandPlan(timer.plan)`,
 * which gives back the phase (kind, label, planned offset and duration, block, round) on any
 * device. That keeps the record small (a Tabata's is about 4 KB).
 */
import { expandPlan, type Phase } from './expand-plan';
import type { RestStats, WorkBoutStats } from './interval-stats';
import type { PhaseSpan } from './phase-history';
import type { Profile } from './profile';
import { summarizeWorkout, type WorkoutSummary } from './summary';
import type { Reading } from './readings';
import type { TimerState } from './timer-state';

export const EXECUTION_VERSION = 1;

/**
 * Whose profile the figures were computed with: the member's own, the default (none set), or,
 * for a class recording, the profile given when joining the class (its values over the member's).
 */
export type ProfileSource = 'member' | 'default' | 'class-join';

export interface ExecutedSpan {
  phaseIndex: number;
  /** Wall time, inclusive. */
  start: number;
  /** Wall time, exclusive. */
  end: number;
}

export type StoredInterval = Omit<WorkBoutStats, 'phase'> | Omit<RestStats, 'phase'>;

export interface StoredSummary extends Omit<WorkoutSummary, 'intervals'> {
  intervals: StoredInterval[];
}

export interface SessionExecution {
  v: typeof EXECUTION_VERSION;
  /** The stopped timer: plan, start, stop, pauses and skips as they happened. */
  timer: TimerState;
  /** The phases actually run, in time order (a paused phase is several spans). */
  spans: ExecutedSpan[];
  profile: Profile;
  profileSource: ProfileSource;
  /** Local time minus UTC at the start, minutes. */
  tzOffsetMinutes: number;
  summary: StoredSummary;
}

/** The summary computed again with another profile, on the member's request. */
export interface Recomputation {
  profile: Profile;
  summary: StoredSummary;
}

export interface ExecutionInput {
  timer: TimerState;
  spans: readonly PhaseSpan[];
  profile: Profile;
  profileSource: ProfileSource;
  tzOffsetMinutes: number;
  summary: WorkoutSummary;
}

/** Drops `phase` from an interval (it is found again by phaseIndex). */
export function storedInterval(i: WorkoutSummary['intervals'][number]): StoredInterval {
  const { phase: _phase, ...rest } = i;
  return rest;
}

/** The frozen record of a finished recording. JSON-safe: -0 and undefined never appear. */
export function buildExecution(input: ExecutionInput): SessionExecution {
  const { intervals, ...summary } = input.summary;
  return JSON.parse(
    JSON.stringify({
      v: EXECUTION_VERSION,
      timer: input.timer,
      spans: input.spans.map((s) => ({ phaseIndex: s.phaseIndex, start: s.start, end: s.end })),
      profile: input.profile,
      profileSource: input.profileSource,
      tzOffsetMinutes: input.tzOffsetMinutes || 0,
      summary: { ...summary, intervals: intervals.map(storedInterval) },
    }),
  ) as SessionExecution;
}

/** The phases of the executed plan, by phaseIndex. */
export function executedPhases(e: SessionExecution): Phase[] {
  return expandPlan(e.timer.plan);
}

/** Every phaseIndex the record names exists in its plan (the wire schema checks it). */
export function executionIndexesValid(e: SessionExecution): boolean {
  const n = executedPhases(e).length;
  return e.spans.every((s) => s.phaseIndex < n) && e.summary.intervals.every((i) => i.phaseIndex < n);
}

export function executedSpans(e: SessionExecution): PhaseSpan[] {
  const phases = executedPhases(e);
  return e.spans.map((s) => ({ ...s, phase: phases[s.phaseIndex]! }));
}

export function executedSummary(e: SessionExecution): WorkoutSummary {
  const phases = executedPhases(e);
  return { ...e.summary, intervals: e.summary.intervals.map((i) => ({ ...i, phase: phases[i.phaseIndex]! }) as WorkoutSummary['intervals'][number]) };
}

/** One phase of the timeline: where the plan put it and when it really ran. */
export interface TimelinePhase {
  phaseIndex: number;
  phase: Phase;
  /** Plan time from the start, ms (no pauses, no skips). */
  plannedStartMs: number;
  plannedEndMs: number;
  /** Wall time; null when the phase never ran (skipped whole, or after the stop). */
  start: number | null;
  end: number | null;
  /** Running time in the phase (pauses excluded). */
  activeMs: number;
  /** Ran shorter than planned: skipped (part of it) or cut by the stop. */
  cut: boolean;
}

/** The planned phases side by side with what ran. */
export function executionTimeline(e: SessionExecution): TimelinePhase[] {
  const phases = executedPhases(e);
  return phases.map((phase, phaseIndex) => {
    const mine = e.spans.filter((s) => s.phaseIndex === phaseIndex);
    const activeMs = mine.reduce((n, s) => n + (s.end - s.start), 0);
    return {
      phaseIndex,
      phase,
      plannedStartMs: phase.offsetMs,
      plannedEndMs: phase.offsetMs + phase.durationMs,
      start: mine[0]?.start ?? null,
      end: mine.at(-1)?.end ?? null,
      activeMs,
      cut: activeMs < phase.durationMs,
    };
  });
}

/** Wall time the workout ended: its start plus the recorded duration. */
export function executionEndedAt(e: SessionExecution): number {
  return (e.timer.startedAt ?? 0) + e.summary.durationMs;
}

/**
 * The recording's summary computed again over the same readings and phases with `profile`
 * (only what depends on the profile can change: zones, calories, TRIMP, time to target).
 */
export function recompute(e: SessionExecution, readings: readonly Reading[], profile: Profile): Recomputation {
  const summary = summarizeWorkout({ readings, spans: executedSpans(e), profile, startedAt: e.timer.startedAt ?? 0, endedAt: executionEndedAt(e) });
  const { intervals, ...rest } = summary;
  return JSON.parse(JSON.stringify({ profile, summary: { ...rest, intervals: intervals.map(storedInterval) } })) as Recomputation;
}

export function recomputedSummary(e: SessionExecution, r: Recomputation): WorkoutSummary {
  return executedSummary({ ...e, summary: r.summary });
}
