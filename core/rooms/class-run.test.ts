import { describe, expect, it } from 'vitest';
import { createTimer, pauseTimer, restartTimer, startTimer, stopTimer, timerView, type IntervalPlan, type TimerState } from '../workout';
import { autoRecordDue, beginRun, followRoom, isRunOver, type FollowStep } from './class-run';
import { changePlan } from './timer-commands';

const T0 = 1_700_000_000_000;
const OFFSET = 1_000; // the server's clock is 1 s ahead of the phone's
const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Class', prepareMs: 5_000, blocks: [{ name: 'Main', workMs: 20_000, restMs: 10_000, rounds: 3 }] };
const other: IntervalPlan = { ...plan, name: 'Other', blocks: [{ name: 'Main', workMs: 30_000, restMs: 0, rounds: 2 }] };
const idle = (p: IntervalPlan = plan): TimerState => ({ ...createTimer(p), revision: 1, updatedAt: T0 - 60_000 });

function follow(step: FollowStep) {
  if (step.kind !== 'follow') throw new Error(`expected follow, got ${step.kind}`);
  return step;
}

describe('following a class run', () => {
  it('waits for the coach, binds to the run the coach starts, follows a pause and finishes at the stop', () => {
    const anchor = T0 - OFFSET; // local
    let run = beginRun(idle(), anchor, T0);
    expect(run.runStartedAt).toBeNull();

    let step = follow(followRoom(run, idle(), OFFSET, T0 + 1_000));
    expect(timerView(step.timer, anchor + 1_000)).toMatchObject({ status: 'paused', elapsedMs: 0 });

    const started = startTimer(idle(), T0 + 4_000).state;
    step = follow(followRoom(step.run, started, OFFSET, T0 + 4_100));
    run = step.run;
    expect(run.runStartedAt).toBe(T0 + 4_000);
    expect(timerView(step.timer, anchor + 6_000)).toMatchObject({ status: 'running', positionMs: 2_000 });

    const paused = pauseTimer(started, T0 + 10_000).state;
    step = follow(followRoom(run, paused, OFFSET, T0 + 10_000));
    expect(step.timer.pausedAt).toBe(T0 + 10_000 - OFFSET);

    const stopped = stopTimer(paused, T0 + 12_000).state;
    const end = followRoom(step.run, stopped, OFFSET, T0 + 12_000);
    expect(end).toMatchObject({ kind: 'finish', reason: 'stopped', nextRunRunning: false });
    expect(end.timer.stoppedAt).toBe(T0 + 12_000 - OFFSET);
  });

  it('joins a run already going on, at its current phase', () => {
    const running = startTimer(idle(), T0).state;
    const run = beginRun(running, T0 + 30_000 - OFFSET, T0 + 30_000);
    expect(run.runStartedAt).toBe(T0);
    const step = follow(followRoom(run, running, OFFSET, T0 + 30_000));
    expect(timerView(step.timer, T0 + 30_000 - OFFSET)).toMatchObject({ status: 'running', positionMs: 30_000, phaseIndex: 2 });
  });

  it('a restart ends the recorded run at the restart and says a new run is going on', () => {
    const running = startTimer(idle(), T0).state;
    const run = follow(followRoom(beginRun(running, T0 - OFFSET, T0), running, OFFSET, T0)).run;
    const restarted = restartTimer(running, T0 + 40_000).state;
    const end = followRoom(run, restarted, OFFSET, T0 + 40_500);
    expect(end).toMatchObject({ kind: 'finish', reason: 'replaced', nextRunRunning: true });
    expect(end.timer.stoppedAt).toBe(T0 + 40_000 - OFFSET);
    expect(timerView(end.timer, T0 + 60_000).status).toBe('stopped');
  });

  it('a new plan loaded mid-run ends the recorded run; loaded while waiting, it is adopted', () => {
    const running = startTimer(idle(), T0).state;
    const run = follow(followRoom(beginRun(running, T0 - OFFSET, T0), running, OFFSET, T0)).run;
    const changed = changePlan(running, other, T0 + 20_000).state;
    expect(followRoom(run, changed, OFFSET, T0 + 20_000)).toMatchObject({ kind: 'finish', reason: 'replaced', nextRunRunning: false });

    const waiting = beginRun(idle(), T0 - OFFSET, T0);
    const step = follow(followRoom(waiting, changePlan(idle(), other, T0 + 1_000).state, OFFSET, T0 + 1_000));
    expect(step.timer.plan.name).toBe('Other');
    expect(step.run.runStartedAt).toBeNull();
  });

  it('a run already over when recording began is not ours: wait for the next one', () => {
    const over = stopTimer(startTimer(idle(), T0).state, T0 + 10_000).state;
    const run = beginRun(over, T0 + 20_000 - OFFSET, T0 + 20_000);
    expect(run).toMatchObject({ runStartedAt: null, pastRunStartedAt: T0 });
    const step = follow(followRoom(run, over, OFFSET, T0 + 21_000));
    expect(timerView(step.timer, T0 + 25_000)).toMatchObject({ status: 'paused', positionMs: 0 });
    const again = restartTimer(over, T0 + 30_000).state;
    const next = follow(followRoom(step.run, again, OFFSET, T0 + 30_000));
    expect(next.run.runStartedAt).toBe(T0 + 30_000);
  });

  it('a run started and stopped while the link was down finishes the waiting recording', () => {
    const run = beginRun(idle(), T0 - OFFSET, T0);
    const missed = stopTimer(startTimer(idle(), T0 + 5_000).state, T0 + 50_000).state;
    const end = followRoom(run, missed, OFFSET, T0 + 60_000);
    expect(end).toMatchObject({ kind: 'finish', reason: 'stopped' });
    expect(end.timer.pauses).toEqual([{ at: T0 - OFFSET, ms: 5_000 }]);
    expect(end.timer.stoppedAt).toBe(T0 + 50_000 - OFFSET);
  });

  it('records automatically only while a run is going on that the participant did not stop recording', () => {
    const running = startTimer(idle(), T0).state;
    expect(autoRecordDue(idle(), T0, null)).toBe(false);
    expect(autoRecordDue(running, T0 + 1_000, null)).toBe(true);
    expect(autoRecordDue(running, T0 + 1_000, T0)).toBe(false);
    expect(autoRecordDue(stopTimer(running, T0 + 2_000).state, T0 + 3_000, null)).toBe(false);
    // The plan ran out (5 s + 85 s): over without a stop.
    expect(isRunOver(running, T0 + 90_000)).toBe(true);
    expect(autoRecordDue(running, T0 + 90_000, null)).toBe(false);
  });
});
