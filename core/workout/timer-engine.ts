/**
 * Timer commands: pure functions (state, now) → result. An accepted command returns a new state
 * with `revision + 1` and `updatedAt = now`; a command that does not apply (pause while paused,
 * skip before the start, ...) is an expected outcome, returned with a stable code and the state
 * unchanged, so callers can always continue with `result.state`.
 */
import { expandPlan, phaseIndexAt, planDurationMs } from './expand-plan';
import { effectiveNow, positionAt, runTimeAt } from './timer-clock';
import { MAX_TIMER_EVENTS, type TimerState } from './timer-state';

export type TimerRejection =
  | 'already-started' // start: the timer has run; use restart
  | 'not-running' // pause: idle, paused, stopped or finished
  | 'not-paused' // resume: not paused
  | 'not-active' // skip/stop: idle or stopped (skip: also finished)
  | 'no-phases' // skip: a stopwatch has no phases
  | 'not-stopped' // undoStop: the timer was not stopped
  | 'plan-over' // undoStop: the plan had run to its end when it stopped; nothing to go back to
  | 'history-full'; // pause/skip: MAX_TIMER_EVENTS pauses or skips already recorded; stop or restart

export type TimerResult =
  | { ok: true; state: TimerState }
  | { ok: false; code: TimerRejection; state: TimerState };

function accept(state: TimerState, now: number, changes: Partial<TimerState>): TimerResult {
  return { ok: true, state: { ...state, ...changes, revision: state.revision + 1, updatedAt: now } };
}

function reject(state: TimerState, code: TimerRejection): TimerResult {
  return { ok: false, code, state };
}

/** Whether the plan has run to its end by `now` (a stopwatch never finishes by itself). */
export function isFinished(state: TimerState, now: number): boolean {
  if (state.startedAt === null) return false;
  const phases = expandPlan(state.plan);
  return phases.length > 0 && positionAt(state, now) >= planDurationMs(phases);
}

function isRunning(state: TimerState, now: number): boolean {
  return state.startedAt !== null && state.pausedAt === null && state.stoppedAt === null && !isFinished(state, now);
}

/** Start an idle timer. `now` may lie in the future to schedule a synchronized start. */
export function startTimer(state: TimerState, now: number): TimerResult {
  if (state.startedAt !== null) return reject(state, 'already-started');
  return accept(state, now, { startedAt: now });
}

export function pauseTimer(state: TimerState, now: number): TimerResult {
  const t = effectiveNow(state, now);
  if (!isRunning(state, t)) return reject(state, 'not-running');
  if (state.pauses.length >= MAX_TIMER_EVENTS) return reject(state, 'history-full');
  return accept(state, t, { pausedAt: Math.max(t, state.startedAt!) });
}

function closePause(state: TimerState, t: number): Pick<TimerState, 'pausedAt' | 'pausedTotal' | 'pauses'> {
  const at = state.pausedAt!;
  const ms = Math.max(0, t - at);
  return { pausedAt: null, pausedTotal: state.pausedTotal + ms, pauses: [...state.pauses, { at, ms }] };
}

export function resumeTimer(state: TimerState, now: number): TimerResult {
  const t = effectiveNow(state, now);
  if (state.pausedAt === null || state.stoppedAt !== null) return reject(state, 'not-paused');
  return accept(state, t, closePause(state, t));
}

/** Jump to the start of the next phase (or to the end, from the last phase). Allowed while paused. */
export function skipPhase(state: TimerState, now: number): TimerResult {
  const t = effectiveNow(state, now);
  if (state.plan.mode === 'stopwatch') return reject(state, 'no-phases');
  if (state.startedAt === null || state.stoppedAt !== null || isFinished(state, t)) return reject(state, 'not-active');
  const phases = expandPlan(state.plan);
  const runMs = runTimeAt(state, t);
  const position = positionAt(state, t);
  const phase = phases[phaseIndexAt(phases, position)]!;
  const skippedMs = phase.offsetMs + phase.durationMs - position;
  // Skips at the same run time (several while paused) merge into one record.
  const last = state.skips[state.skips.length - 1];
  if (last?.runMs === runMs) return accept(state, t, { skips: [...state.skips.slice(0, -1), { runMs, skippedMs: last.skippedMs + skippedMs }] });
  if (state.skips.length >= MAX_TIMER_EVENTS) return reject(state, 'history-full');
  return accept(state, t, { skips: [...state.skips, { runMs, skippedMs }] });
}

/** End the run; the view freezes at this moment. A pause in progress is closed first. */
export function stopTimer(state: TimerState, now: number): TimerResult {
  const t = effectiveNow(state, now);
  if (state.startedAt === null || state.stoppedAt !== null) return reject(state, 'not-active');
  const stoppedAt = Math.max(t, state.startedAt);
  const paused = state.pausedAt === null ? {} : closePause(state, stoppedAt);
  return accept(state, t, { ...paused, stoppedAt });
}

/**
 * Take back a stop (the member's "Undo" shortly after Stop). The time between the stop and `now`
 * counts as a pause, so the workout goes on from exactly where it was stopped: the countdown
 * does not jump by the seconds spent deciding. A timer that was paused when stopped is paused
 * again (its pause, closed by the stop, is reopened and runs on until a resume).
 */
export function undoStop(state: TimerState, now: number): TimerResult {
  const t = effectiveNow(state, now);
  const stoppedAt = state.stoppedAt;
  if (state.startedAt === null || stoppedAt === null) return reject(state, 'not-stopped');
  if (isFinished(state, stoppedAt)) return reject(state, 'plan-over');
  const last = state.pauses[state.pauses.length - 1];
  if (last && last.at + last.ms === stoppedAt) {
    // stopTimer closed a pause in progress at the stop: open it again.
    return accept(state, t, { stoppedAt: null, pausedAt: last.at, pausedTotal: state.pausedTotal - last.ms, pauses: state.pauses.slice(0, -1) });
  }
  if (state.pauses.length >= MAX_TIMER_EVENTS) return reject(state, 'history-full');
  return accept(state, t, { ...closePause({ ...state, pausedAt: stoppedAt }, t), stoppedAt: null });
}

/** Start the same plan again from its beginning at `now`, whatever the current state. */
export function restartTimer(state: TimerState, now: number): TimerResult {
  return accept(state, now, {
    startedAt: now,
    pausedAt: null,
    pausedTotal: 0,
    pauses: [],
    skips: [],
    stoppedAt: null,
  });
}
