/**
 * Wall time → run time → plan position, from the timer state alone (see timer-state.ts).
 * Everything is a closed-form function of absolute timestamps, never of elapsed ticks.
 */
import type { TimerState } from './timer-state';

/**
 * `now` as the state understands it: never earlier than the last accepted command, so a screen
 * whose clock runs slightly behind the server's shows a brief freeze, never a jump backwards.
 */
export function effectiveNow(state: TimerState, now: number): number {
  return state.updatedAt === null ? now : Math.max(now, state.updatedAt);
}

/** Time spent running (not paused) between the start and `now`; 0 before the start. */
export function runTimeAt(state: TimerState, now: number): number {
  if (state.startedAt === null) return 0;
  const t = effectiveNow(state, now);
  const frozenAt = state.stoppedAt ?? state.pausedAt;
  const end = frozenAt === null ? t : Math.min(t, frozenAt);
  return Math.max(0, end - state.startedAt - state.pausedTotal);
}

/** Plan position at run time `runMs`: run time plus every skip made at or before it. */
export function positionAtRunTime(state: TimerState, runMs: number): number {
  let position = runMs;
  for (const skip of state.skips) {
    if (skip.runMs > runMs) break;
    position += skip.skippedMs;
  }
  return position;
}

export function positionAt(state: TimerState, now: number): number {
  return positionAtRunTime(state, runTimeAt(state, now));
}

export function totalSkippedMs(state: TimerState): number {
  return state.skips.reduce((sum, s) => sum + s.skippedMs, 0);
}
