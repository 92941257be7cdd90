import { describe, expect, it } from 'vitest';
import { emomPlan, sixtySixtyPlan, stopwatchPlan, tabataPlan } from './presets';
import { pauseTimer, restartTimer, resumeTimer, skipPhase, startTimer, stopTimer, undoStop, type TimerResult } from './timer-engine';
import type { Plan } from './plan';
import { createTimer, MAX_TIMER_EVENTS, parseTimerState, type TimerState } from './timer-state';
import { timerView, type IntervalView, type TimerView } from './timer-view';

const T0 = 1_700_000_000_000;

/** A fake clock and a command runner: every command must be accepted. */
function session(plan: Plan = tabataPlan()) {
  let now = T0;
  let state = createTimer(plan);
  const run = (command: (s: TimerState, now: number) => TimerResult) => {
    const result = command(state, now);
    expect(result.ok).toBe(true);
    state = result.state;
  };
  return {
    advance: (ms: number) => (now += ms),
    run,
    get state() {
      return state;
    },
    view: () => timerView(state, now) as IntervalView,
    try: (command: (s: TimerState, now: number) => TimerResult) => command(state, now),
  };
}

const at = (v: TimerView) => {
  if (v.mode !== 'intervals') throw new Error('interval view expected');
  return { status: v.status, index: v.phaseIndex, kind: v.phase.kind, left: v.phaseLeftMs, round: v.round };
};

describe('timer engine (Tabata: 5 s prepare, 8 × 20 s / 10 s)', () => {
  it('is idle at the first phase before start', () => {
    const s = session();
    expect(at(s.view())).toEqual({ status: 'idle', index: 0, kind: 'prepare', left: 5_000, round: null });
    s.advance(60_000);
    expect(s.view().phaseLeftMs).toBe(5_000);
  });

  it('runs through phases from timestamps alone', () => {
    const s = session();
    s.run(startTimer);
    expect(s.state).toMatchObject({ startedAt: T0, revision: 1, updatedAt: T0 });
    s.advance(4_000);
    expect(at(s.view())).toEqual({ status: 'running', index: 0, kind: 'prepare', left: 1_000, round: null });
    s.advance(1_000); // 5 s: work 1 starts
    expect(at(s.view())).toEqual({ status: 'running', index: 1, kind: 'work', left: 20_000, round: { current: 1, total: 8 } });
    expect(s.view().nextPhase).toMatchObject({ kind: 'rest', round: 1 });
    expect(s.view().phaseEndsAt).toBe(T0 + 25_000);
    s.advance(27_000); // 32 s: rest 1 (25-35 s), 7 s in
    expect(at(s.view())).toEqual({ status: 'running', index: 2, kind: 'rest', left: 3_000, round: { current: 1, total: 8 } });
  });

  it('pause freezes the view; resume continues where it left off', () => {
    const s = session();
    s.run(startTimer);
    s.advance(15_000); // work 1, 10 s in
    s.run(pauseTimer);
    s.advance(120_000);
    expect(at(s.view())).toEqual({ status: 'paused', index: 1, kind: 'work', left: 10_000, round: { current: 1, total: 8 } });
    expect(s.view().phaseEndsAt).toBeNull();
    s.run(resumeTimer);
    expect(s.state.pausedTotal).toBe(120_000);
    expect(s.state.pauses).toEqual([{ at: T0 + 15_000, ms: 120_000 }]);
    s.advance(4_000);
    expect(s.view()).toMatchObject({ phaseIndex: 1, phaseLeftMs: 6_000, elapsedMs: 19_000 });
  });

  it('is exact at once after a 10-minute freeze (no ticks in between)', () => {
    const s = session();
    s.run(startTimer);
    s.advance(1_000);
    expect(s.view().phaseIndex).toBe(0);
    s.advance(10 * 60_000); // the tab was throttled; next look is 601 s after start
    // 601 s is past the 235 s plan: finished.
    expect(s.view()).toMatchObject({ status: 'finished', finished: true, phaseIndex: 15, phaseLeftMs: 0, totalLeftMs: 0, nextPhase: null });
  });

  it('a 10-minute freeze mid-plan lands on the exact phase at once', () => {
    const s = session(sixtySixtyPlan(10)); // 5 s prepare, 10 × 60 s work, 9 × 60 s rest = 1145 s
    s.run(startTimer);
    s.advance(30_000);
    expect(s.view()).toMatchObject({ phaseIndex: 1, phaseLeftMs: 35_000 });
    s.advance(10 * 60_000); // frozen tab wakes at 630 s
    // 630 − 5 = 625 s into the blocks; 5 full rounds of 120 s = 600 s; 25 s into work 6
    // → phase index 1 + 5 × 2 = 11, 60 − 25 = 35 s left
    expect(at(s.view())).toEqual({ status: 'running', index: 11, kind: 'work', left: 35_000, round: { current: 6, total: 10 } });
    expect(s.view().totalLeftMs).toBe(1_145_000 - 630_000);
  });

  it('a freeze while paused changes nothing', () => {
    const s = session();
    s.run(startTimer);
    s.advance(12_000);
    s.run(pauseTimer);
    const before = s.view();
    s.advance(10 * 60_000);
    expect(s.view()).toEqual(before);
  });

  it('a shorter freeze lands on the exact phase and remainder', () => {
    const s = session();
    s.run(startTimer);
    s.advance(100_000);
    // 100 s = 5 s prepare + 3 × 30 s (rounds 1-3) + 5 s into work 4 → phase index 1 + 2 × 3 = 7
    expect(at(s.view())).toEqual({ status: 'running', index: 7, kind: 'work', left: 15_000, round: { current: 4, total: 8 } });
  });

  it('skip jumps to the next phase start, recorded without ticks', () => {
    const s = session();
    s.run(startTimer);
    s.advance(2_000);
    s.run(skipPhase); // skip the prepare with 3 s left
    expect(s.state.skips).toEqual([{ runMs: 2_000, skippedMs: 3_000 }]);
    expect(at(s.view())).toEqual({ status: 'running', index: 1, kind: 'work', left: 20_000, round: { current: 1, total: 8 } });
    expect(s.view()).toMatchObject({ elapsedMs: 2_000, positionMs: 5_000 });
    s.advance(20_000);
    expect(s.view().phase.kind).toBe('rest');
    expect(s.view().phaseEndsAt).toBe(T0 + 2_000 + 30_000);
  });

  it('skip while paused moves on but stays paused', () => {
    const s = session();
    s.run(startTimer);
    s.advance(10_000); // work 1, 5 s in
    s.run(pauseTimer);
    s.advance(5_000);
    s.run(skipPhase);
    s.run(skipPhase);
    // two skips at the same run time merge: 15 s left of work 1 + 10 s of rest 1
    expect(s.state.skips).toEqual([{ runMs: 10_000, skippedMs: 25_000 }]);
    expect(at(s.view())).toMatchObject({ status: 'paused', index: 3, kind: 'work', left: 20_000 });
    s.advance(5_000);
    s.run(resumeTimer);
    s.advance(1_000);
    expect(s.view()).toMatchObject({ phaseIndex: 3, phaseLeftMs: 19_000 });
  });

  it('skip on the last phase finishes; skip after finishing is rejected', () => {
    const s = session(emomPlan(1)); // prepare 5 s, work 60 s
    s.run(startTimer);
    s.run(skipPhase);
    s.run(skipPhase);
    expect(s.view()).toMatchObject({ status: 'finished', finished: true });
    expect(s.try(skipPhase)).toMatchObject({ ok: false, code: 'not-active' });
    expect(s.try(pauseTimer)).toMatchObject({ ok: false, code: 'not-running' });
  });

  it('finishes exactly at the plan end', () => {
    const s = session();
    s.run(startTimer);
    s.advance(234_999);
    expect(s.view()).toMatchObject({ finished: false, phaseIndex: 15, phaseLeftMs: 1 });
    s.advance(1);
    expect(s.view()).toMatchObject({ finished: true, status: 'finished', phaseLeftMs: 0 });
  });

  it('stop freezes the view; a stop while paused closes the pause', () => {
    const s = session();
    s.run(startTimer);
    s.advance(30_000);
    s.run(pauseTimer);
    s.advance(10_000);
    s.run(stopTimer);
    expect(s.state).toMatchObject({ pausedAt: null, pausedTotal: 10_000, stoppedAt: T0 + 40_000 });
    s.advance(1_000_000);
    expect(s.view()).toMatchObject({ status: 'stopped', finished: false, elapsedMs: 30_000, phaseIndex: 2 });
    expect(s.try(stopTimer)).toMatchObject({ ok: false, code: 'not-active' });
    expect(s.try(resumeTimer)).toMatchObject({ ok: false, code: 'not-paused' });
  });

  it('undoing a stop goes on from where it stopped: the seconds spent deciding count as a pause', () => {
    const s = session();
    s.run(startTimer);
    s.advance(12_000); // prepare 5 s, then 7 s into the first work phase
    s.run(stopTimer);
    const stoppedView = at(s.view());
    s.advance(8_000);
    s.run(undoStop);
    expect(s.state).toMatchObject({ stoppedAt: null, pausedAt: null, pausedTotal: 8_000, pauses: [{ at: T0 + 12_000, ms: 8_000 }] });
    expect(parseTimerState(s.state).ok).toBe(true);
    expect(at(s.view())).toEqual({ ...stoppedView, status: 'running' });
    expect(s.view().elapsedMs).toBe(12_000);
    s.advance(13_000);
    expect(at(s.view())).toMatchObject({ status: 'running', kind: 'rest', index: 2, left: 10_000 });
    expect(s.try(undoStop)).toMatchObject({ ok: false, code: 'not-stopped' });
  });

  it('undoing a stop made while paused leaves the timer paused, with its pause still open', () => {
    const s = session();
    s.run(startTimer);
    s.advance(30_000);
    s.run(pauseTimer);
    s.advance(10_000);
    s.run(stopTimer);
    s.advance(4_000);
    s.run(undoStop);
    expect(s.state).toMatchObject({ stoppedAt: null, pausedAt: T0 + 30_000, pausedTotal: 0, pauses: [] });
    expect(parseTimerState(s.state).ok).toBe(true);
    expect(s.view()).toMatchObject({ status: 'paused', elapsedMs: 30_000 });
    s.run(resumeTimer);
    expect(s.state).toMatchObject({ pausedTotal: 14_000 });
    expect(s.view()).toMatchObject({ status: 'running', elapsedMs: 30_000 });
  });

  it('a stop after the plan ran out, or before a start, cannot be undone', () => {
    const s = session();
    expect(s.try(undoStop)).toMatchObject({ ok: false, code: 'not-stopped' });
    s.run(startTimer);
    s.advance(240_000);
    s.run(stopTimer);
    expect(s.try(undoStop)).toMatchObject({ ok: false, code: 'plan-over' });
  });

  it('restart begins the plan again at now, from any state', () => {
    const s = session();
    s.run(startTimer);
    s.advance(50_000);
    s.run(skipPhase);
    s.run(stopTimer);
    s.advance(5_000);
    s.run(restartTimer);
    expect(s.state).toMatchObject({ startedAt: T0 + 55_000, pausedTotal: 0, pauses: [], skips: [], stoppedAt: null, revision: 4 });
    expect(at(s.view())).toMatchObject({ status: 'running', index: 0, left: 5_000 });
  });

  it('rejects commands that do not apply, returning the state unchanged', () => {
    const s = session();
    expect(s.try(pauseTimer)).toMatchObject({ ok: false, code: 'not-running' });
    expect(s.try(resumeTimer)).toMatchObject({ ok: false, code: 'not-paused' });
    expect(s.try(skipPhase)).toMatchObject({ ok: false, code: 'not-active' });
    expect(s.try(stopTimer)).toMatchObject({ ok: false, code: 'not-active' });
    s.run(startTimer);
    const rejected = s.try(startTimer);
    expect(rejected).toMatchObject({ ok: false, code: 'already-started' });
    expect(rejected.state).toBe(s.state);
    expect(s.try(resumeTimer)).toMatchObject({ ok: false, code: 'not-paused' });
  });

  it('refuses to grow the history past MAX_TIMER_EVENTS', () => {
    const started = startTimer(createTimer(tabataPlan()), T0).state;
    const full: TimerState = { ...started, skips: Array.from({ length: MAX_TIMER_EVENTS }, () => ({ runMs: 0, skippedMs: 0 })) };
    expect(skipPhase(full, T0 + 1_000)).toMatchObject({ ok: false, code: 'history-full' });
    const paused: TimerState = { ...started, pauses: Array.from({ length: MAX_TIMER_EVENTS }, () => ({ at: T0, ms: 0 })) };
    expect(pauseTimer(paused, T0 + 1_000)).toMatchObject({ ok: false, code: 'history-full' });
  });

  it('never runs backwards when a screen clock lags the last command', () => {
    const s = session();
    s.run(startTimer);
    s.advance(10_000);
    s.run(skipPhase); // skip in work 1 at run 10 s → position 25 s
    const lagging = timerView(s.state, T0 + 9_000) as IntervalView;
    expect(lagging.positionMs).toBe(25_000);
  });

  it('supports a scheduled start in the future', () => {
    const start = startTimer(createTimer(tabataPlan()), T0 + 3_000);
    expect(timerView(start.state, T0)).toMatchObject({ status: 'running', positionMs: 0, phaseLeftMs: 5_000 });
    expect(timerView(start.state, T0 + 4_000)).toMatchObject({ positionMs: 1_000 });
  });

  it('the state survives JSON and validates against the schema', () => {
    const s = session();
    s.run(startTimer);
    s.advance(7_000);
    s.run(pauseTimer);
    s.advance(3_000);
    s.run(resumeTimer);
    s.run(skipPhase);
    const parsed = parseTimerState(JSON.parse(JSON.stringify(s.state)));
    expect(parsed).toEqual({ ok: true, state: s.state });
    expect(timerView(parsed.ok ? parsed.state : s.state, T0 + 20_000)).toEqual(timerView(s.state, T0 + 20_000));
  });

  it('rejects inconsistent states at the edge', () => {
    const state = { ...createTimer(tabataPlan()), startedAt: T0, pausedTotal: 5 };
    expect(parseTimerState(state)).toMatchObject({ ok: false, code: 'invalid-timer-state' });
    expect(parseTimerState({ ...createTimer(tabataPlan()), pausedAt: T0 })).toMatchObject({ ok: false });
    expect(parseTimerState({ ...createTimer(tabataPlan()), v: 2 })).toMatchObject({ ok: false });
  });
});

describe('stopwatch', () => {
  it('shows elapsed time only, excluding pauses, and never finishes', () => {
    const s = session(stopwatchPlan());
    s.run(startTimer);
    s.advance(90_000);
    s.run(pauseTimer);
    s.advance(30_000);
    s.run(resumeTimer);
    s.advance(10_000);
    expect(timerView(s.state, T0 + 130_000)).toEqual({ mode: 'stopwatch', status: 'running', elapsedMs: 100_000 });
    expect(s.try(skipPhase)).toMatchObject({ ok: false, code: 'no-phases' });
    s.advance(10 * 3_600_000);
    s.run(stopTimer);
    expect(timerView(s.state, T0 + 1e9)).toMatchObject({ status: 'stopped', elapsedMs: 100_000 + 10 * 3_600_000 });
  });
});
