import { describe, expect, it } from 'vitest';
import { phaseHistory } from './phase-history';
import { tabataPlan } from './presets';
import { pauseTimer, resumeTimer, skipPhase, startTimer, stopTimer } from './timer-engine';
import { createTimer } from './timer-state';

const T0 = 1_700_000_000_000;
const brief = (spans: ReturnType<typeof phaseHistory>) => spans.map((s) => [s.phaseIndex, s.start - T0, s.end - T0]);

describe('phaseHistory', () => {
  it('is empty before the start', () => {
    expect(phaseHistory(createTimer(tabataPlan()), T0)).toEqual([]);
  });

  it('lists phases run so far, the current one up to now', () => {
    const s = startTimer(createTimer(tabataPlan()), T0).state;
    expect(brief(phaseHistory(s, T0 + 30_000))).toEqual([
      [0, 0, 5_000],
      [1, 5_000, 25_000],
      [2, 25_000, 30_000],
    ]);
  });

  it('splits a paused phase and leaves skipped time out', () => {
    let s = startTimer(createTimer(tabataPlan()), T0).state;
    s = skipPhase(s, T0 + 2_000).state; // prepare cut at 2 s
    s = pauseTimer(s, T0 + 12_000).state; // work 1, 10 s in
    s = resumeTimer(s, T0 + 72_000).state; // 60 s pause
    s = skipPhase(s, T0 + 75_000).state; // work 1 cut at 13 s
    s = stopTimer(s, T0 + 80_000).state; // rest 1, 5 s in
    expect(brief(phaseHistory(s, T0 + 999_000))).toEqual([
      [0, 0, 2_000],
      [1, 2_000, 12_000],
      [1, 72_000, 75_000],
      [2, 75_000, 80_000],
    ]);
  });

  it('ends at the plan end when finished', () => {
    const s = startTimer(createTimer(tabataPlan()), T0).state;
    const spans = phaseHistory(s, T0 + 10_000_000);
    expect(spans).toHaveLength(16);
    expect(spans[15]!.end).toBe(T0 + 235_000);
  });
});
