/**
 * The room timer's commands by name, on top of core/workout's pure engine. `change-plan` loads a
 * new plan into an idle timer (a fresh start with the new plan) but keeps counting revisions, so
 * every screen and the compare-and-swap store see it as the newer state.
 */
import {
  createTimer,
  pauseTimer,
  restartTimer,
  resumeTimer,
  skipPhase,
  startTimer,
  stopTimer,
  type Plan,
  type TimerResult,
  type TimerState,
} from '../workout';
import type { TimerCommandName } from './wire';

export function changePlan(state: TimerState, plan: Plan, now: number): TimerResult {
  return { ok: true, state: { ...createTimer(plan), revision: state.revision + 1, updatedAt: now } };
}

export function applyTimerCommand(state: TimerState, command: TimerCommandName, now: number, plan?: Plan): TimerResult {
  switch (command) {
    case 'start':
      return startTimer(state, now);
    case 'pause':
      return pauseTimer(state, now);
    case 'resume':
      return resumeTimer(state, now);
    case 'stop':
      return stopTimer(state, now);
    case 'skip':
      return skipPhase(state, now);
    case 'restart':
      return restartTimer(state, now);
    case 'change-plan':
      return changePlan(state, plan ?? state.plan, now);
  }
}
