import { describe, expect, it } from 'vitest';
import { createTimer, expandPlan, pauseTimer, planDurationMs, restartTimer, startTimer, stopTimer, tabataPlan } from '../workout';
import { screenPhase } from './screen-phase';

describe('screenPhase', () => {
  const plan = tabataPlan(2);
  const idle = createTimer(plan);
  const running = startTimer(idle, 1_000).state;

  it('waits before the coach starts, or with no timer yet', () => {
    expect(screenPhase(null, 0)).toBe('waiting');
    expect(screenPhase(idle, 5_000)).toBe('waiting');
  });
  it('is the class while running or paused', () => {
    expect(screenPhase(running, 2_000)).toBe('class');
    expect(screenPhase(pauseTimer(running, 3_000).state, 600_000)).toBe('class');
  });
  it('has ended once the plan ran out or the coach stopped it, until a restart', () => {
    expect(screenPhase(running, 1_000 + planDurationMs(expandPlan(plan)) + 1)).toBe('ended');
    const stopped = stopTimer(running, 4_000).state;
    expect(screenPhase(stopped, 5_000)).toBe('ended');
    expect(screenPhase(restartTimer(stopped, 6_000).state, 6_500)).not.toBe('ended');
  });
});
