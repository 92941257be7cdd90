/**
 * What a screen shows, computed from the state and the current time only. Because it reads
 * absolute timestamps, a view computed after a 10-minute freeze is exact at once, and every
 * screen given the same state and (offset-corrected) clock shows the same phase.
 */
import { expandPlan, phaseIndexAt, planDurationMs, type Phase } from './expand-plan';
import { positionAt, runTimeAt, totalSkippedMs } from './timer-clock';
import type { TimerState } from './timer-state';

/**
 * idle: not started; running; paused; finished: the plan ran to its end (or was stopped
 * after it ended); stopped: stopped before the end.
 */
export type TimerStatus = 'idle' | 'running' | 'paused' | 'finished' | 'stopped';

export interface StopwatchView {
  mode: 'stopwatch';
  status: Exclude<TimerStatus, 'finished'>;
  /** Running time, pauses excluded. */
  elapsedMs: number;
}

export interface IntervalView {
  mode: 'intervals';
  status: TimerStatus;
  /** Running time since the start, pauses excluded (skipped time not included). */
  elapsedMs: number;
  /** Position in the plan: elapsed plus skipped time, capped at totalMs. */
  positionMs: number;
  totalMs: number;
  phases: Phase[];
  /** Index into `phases`; the last phase once finished. */
  phaseIndex: number;
  phase: Phase;
  phaseElapsedMs: number;
  /** In [0, phase.durationMs]. */
  phaseLeftMs: number;
  totalLeftMs: number;
  /** Round x of y of the current phase's block; null outside blocks. */
  round: { current: number; total: number } | null;
  nextPhase: Phase | null;
  /** Wall time at which the current phase ends if nothing changes; null unless running. */
  phaseEndsAt: number | null;
  finished: boolean;
}

export type TimerView = StopwatchView | IntervalView;

function baseStatus(state: TimerState): Exclude<TimerStatus, 'finished'> {
  if (state.startedAt === null) return 'idle';
  if (state.stoppedAt !== null) return 'stopped';
  return state.pausedAt === null ? 'running' : 'paused';
}

export function timerView(state: TimerState, now: number): TimerView {
  const elapsedMs = runTimeAt(state, now);
  const status = baseStatus(state);
  if (state.plan.mode === 'stopwatch') return { mode: 'stopwatch', status, elapsedMs };

  const phases = expandPlan(state.plan);
  const totalMs = planDurationMs(phases);
  const positionMs = Math.min(positionAt(state, now), totalMs);
  const finished = status !== 'idle' && positionMs >= totalMs;
  const phaseIndex = phaseIndexAt(phases, positionMs);
  const phase = phases[phaseIndex]!;
  const phaseElapsedMs = positionMs - phase.offsetMs;
  const phaseLeftMs = phase.durationMs - phaseElapsedMs;
  const running = status === 'running' && !finished;
  return {
    mode: 'intervals',
    status: finished ? 'finished' : status,
    elapsedMs,
    positionMs,
    totalMs,
    phases,
    phaseIndex,
    phase,
    phaseElapsedMs,
    phaseLeftMs,
    totalLeftMs: totalMs - positionMs,
    round: phase.round === null ? null : { current: phase.round, total: phase.roundsInBlock! },
    nextPhase: finished ? null : (phases[phaseIndex + 1] ?? null),
    // Wall time = startedAt + pausedTotal + (position − skipped), valid from the last command on.
    phaseEndsAt: running ? state.startedAt! + state.pausedTotal + phase.offsetMs + phase.durationMs - totalSkippedMs(state) : null,
    finished,
  };
}
