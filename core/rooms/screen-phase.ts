/**
 * What the gym screen is for at a moment, from the room's timer: gathering people before the
 * coach starts (`waiting`: the join panel large), the class itself (`class`), or its end
 * (`ended`: the run finished or the coach stopped it), which keeps the results on screen until
 * the coach starts again (a restart makes the timer idle, then running: `waiting`, `class`).
 */
import { timerView, type TimerState } from '../workout';

export type ScreenPhase = 'waiting' | 'class' | 'ended';

export function screenPhase(timer: TimerState | null, serverNow: number): ScreenPhase {
  if (!timer) return 'waiting';
  const view = timerView(timer, serverNow);
  if (view.status === 'idle') return 'waiting';
  if (view.status === 'finished' || view.status === 'stopped') return 'ended';
  return 'class';
}
