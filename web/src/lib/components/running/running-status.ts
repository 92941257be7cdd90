/**
 * What the app-wide "workout running" bar says, from what the workout controller already
 * exposes (its status, its timer view and the live heart rate): the phase and its time left
 * for an interval plan, the elapsed time for a stopwatch, and the heart rate when there is one.
 * Null when no workout is under way (nothing to come back to).
 */
import type { TimerView } from '$core/workout';
import { formatBpm, formatCountdown, formatDuration } from '$lib/figures';

/** The controller's status values this reads (WorkoutController.status). */
export type WorkoutStatusLike = 'idle' | 'starting' | 'active' | 'stopped' | 'finishing' | 'finished';

export interface RunningStatus {
  /** running, paused by the member, or stopped and still undoable. */
  state: 'running' | 'paused' | 'stopped';
  /** "Work · round 2 of 8", "Get ready", "Stopwatch"; with "Paused"/"Stopped" in front when so. */
  phase: string;
  /** "0:12" */
  time: string;
  /** How to read `time`: time left in the phase, or elapsed since the start. */
  timeKind: 'left' | 'elapsed';
  /** "142", or null without a current reading. */
  bpm: string | null;
  /** The phase kind for colour (prepare, work, rest, …), 'stopwatch' for a stopwatch. */
  kind: string;
}

export function runningStatus(status: WorkoutStatusLike, view: TimerView | null, bpm: number | null): RunningStatus | null {
  if ((status !== 'active' && status !== 'stopped') || !view) return null;
  const state = status === 'stopped' || view.status === 'stopped' ? 'stopped' : view.status === 'paused' ? 'paused' : 'running';
  const prefix = state === 'stopped' ? 'Stopped · ' : state === 'paused' ? 'Paused · ' : '';
  const heart = bpm !== null && bpm > 0 ? formatBpm(bpm) : null;
  if (view.mode === 'stopwatch') {
    return { state, phase: `${prefix}Stopwatch`, time: formatDuration(view.elapsedMs), timeKind: 'elapsed', bpm: heart, kind: 'stopwatch' };
  }
  const round = view.round ? ` · round ${view.round.current} of ${view.round.total}` : '';
  const finished = view.status === 'finished';
  return {
    state,
    phase: `${prefix}${finished ? 'Finishing' : view.phase.label}${finished ? '' : round}`,
    time: finished ? formatDuration(view.elapsedMs) : formatCountdown(view.phaseLeftMs),
    timeKind: finished ? 'elapsed' : 'left',
    bpm: heart,
    kind: view.phase.kind,
  };
}
