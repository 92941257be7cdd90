import { describe, expect, it } from 'vitest';
import { createTimer, pauseTimer, startTimer, stopTimer, stopwatchPlan, tabataPlan, timerView, type Plan, type TimerState } from '$core/workout';
import { runningStatus } from './running-status';

const T0 = 1_000_000;
const started = (plan: Plan = tabataPlan(8)): TimerState => {
  const r = startTimer(createTimer(plan), T0);
  if (!r.ok) throw new Error('start');
  return r.state;
};

describe('runningStatus', () => {
  it('is null when no workout is under way', () => {
    expect(runningStatus('idle', null, null)).toBeNull();
    const state = started();
    expect(runningStatus('finished', timerView(state, T0), 120)).toBeNull();
    expect(runningStatus('starting', timerView(state, T0), 120)).toBeNull();
  });

  it('gives the phase, its round, the time left in it and the heart rate', () => {
    const state = started();
    // Tabata: 5 s get ready, then 20 s work; 8 s into the work phase 12 s are left.
    const s = runningStatus('active', timerView(state, T0 + 5_000 + 8_000), 141.6)!;
    expect(s).toMatchObject({ state: 'running', phase: 'Work · round 1 of 8', time: '0:12', timeKind: 'left', bpm: '142', kind: 'work' });
    expect(runningStatus('active', timerView(state, T0 + 1_000), null)).toMatchObject({ phase: 'Get ready', time: '0:04', bpm: null });
  });

  it('says paused, and stopped while the stop can be undone', () => {
    const paused = pauseTimer(started(), T0 + 10_000);
    if (!paused.ok) throw new Error('pause');
    expect(runningStatus('active', timerView(paused.state, T0 + 60_000), 90)).toMatchObject({ state: 'paused', phase: 'Paused · Work · round 1 of 8', time: '0:15' });
    const stopped = stopTimer(started(), T0 + 10_000);
    if (!stopped.ok) throw new Error('stop');
    expect(runningStatus('stopped', timerView(stopped.state, T0 + 12_000), null)).toMatchObject({ state: 'stopped', phase: expect.stringMatching(/^Stopped · /) });
  });

  it('gives a stopwatch its elapsed time', () => {
    const state = started(stopwatchPlan());
    expect(runningStatus('active', timerView(state, T0 + 754_000), 0)).toEqual({
      state: 'running',
      phase: 'Stopwatch',
      time: '12:34',
      timeKind: 'elapsed',
      bpm: null,
      kind: 'stopwatch',
    });
  });
});
