import { describe, expect, it } from 'vitest';
import { cuesBetween, phaseAnnouncement, spokenCuesBetween } from './cues';
import type { IntervalPlan } from './plan';
import { stopwatchPlan, tabataPlan } from './presets';
import { pauseTimer, resumeTimer, skipPhase, startTimer, stopTimer } from './timer-engine';
import { createTimer } from './timer-state';

const T0 = 1_700_000_000_000;
const short = (at: number, s: 1 | 2 | 3, next: number) => ({ at: T0 + at, kind: 'short', secondsBefore: s, nextPhaseIndex: next });
const long = (at: number, next: number) => ({ at: T0 + at, kind: 'long', secondsBefore: 0, nextPhaseIndex: next });

describe('cuesBetween', () => {
  const started = startTimer(createTimer(tabataPlan()), T0).state;

  it('beeps 3-2-1 short then long at the end of the prepare and of work 1', () => {
    // Prepare ends at 5 s; work 1 ends at 25 s; rest 1 ends at 35 s.
    expect(cuesBetween(started, T0, T0 + 30_000)).toEqual([
      short(2_000, 3, 1),
      short(3_000, 2, 1),
      short(4_000, 1, 1),
      long(5_000, 1),
      short(22_000, 3, 2),
      short(23_000, 2, 2),
      short(24_000, 1, 2),
      long(25_000, 2),
    ]);
  });

  it('uses a half-open window [from, to)', () => {
    expect(cuesBetween(started, T0 + 4_000, T0 + 5_000)).toEqual([short(4_000, 1, 1)]);
    expect(cuesBetween(started, T0 + 4_001, T0 + 5_001)).toEqual([long(5_000, 1)]);
  });

  it('ends with a long beep at the finish (235 s) and nothing after', () => {
    const cues = cuesBetween(started, T0 + 231_000, T0 + 10_000_000);
    expect(cues).toEqual([short(232_000, 3, 16), short(233_000, 2, 16), short(234_000, 1, 16), long(235_000, 16)]);
  });

  it('lists nothing while idle, paused or stopped, or for a stopwatch', () => {
    expect(cuesBetween(createTimer(tabataPlan()), T0, T0 + 60_000)).toEqual([]);
    expect(cuesBetween(pauseTimer(started, T0 + 1_000).state, T0, T0 + 60_000)).toEqual([]);
    expect(cuesBetween(stopTimer(started, T0 + 1_000).state, T0, T0 + 60_000)).toEqual([]);
    expect(cuesBetween(startTimer(createTimer(stopwatchPlan()), T0).state, T0, T0 + 60_000)).toEqual([]);
  });

  it('shifts cues by the pause after a resume', () => {
    const paused = pauseTimer(started, T0 + 1_000).state;
    const resumed = resumeTimer(paused, T0 + 11_000).state; // 10 s pause
    expect(cuesBetween(resumed, T0, T0 + 16_000)).toEqual([short(12_000, 3, 1), short(13_000, 2, 1), short(14_000, 1, 1), long(15_000, 1)]);
  });

  it('a skip gives a long beep at the skip instant and drops the cut-short countdown', () => {
    const skipped = skipPhase(started, T0 + 3_500).state; // 2 beeps already past; skip into work 1
    expect(cuesBetween(skipped, T0, T0 + 5_000)).toEqual([long(3_500, 1)]);
    // Work 1 now ends at 3.5 + 20 = 23.5 s.
    expect(cuesBetween(skipped, T0 + 20_000, T0 + 24_000)).toEqual([short(20_500, 3, 2), short(21_500, 2, 2), short(22_500, 1, 2), long(23_500, 2)]);
  });

  it('omits countdown beeps that would fall outside a short phase', () => {
    const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Short', prepareMs: 0, blocks: [{ name: 'x', workMs: 2_000, restMs: 3_000, rounds: 2 }] };
    // work 0-2 s, rest 2-5 s, work 5-7 s
    const cues = cuesBetween(startTimer(createTimer(plan), T0).state, T0, T0 + 10_000);
    expect(cues).toEqual([short(1_000, 1, 1), long(2_000, 1), short(3_000, 2, 2), short(4_000, 1, 2), long(5_000, 2), short(6_000, 1, 3), long(7_000, 3)]);
  });
});

describe('spokenCuesBetween', () => {
  const plan: IntervalPlan = {
    v: 1,
    mode: 'intervals',
    name: 'Spoken',
    prepareMs: 5_000,
    blocks: [{ name: 'A', workMs: 60_000, restMs: 15_000, rounds: 2, targetZone: 4 }],
  };
  const started = startTimer(createTimer(plan), T0).state;
  const spoken = (from: number, to: number, state = started) => spokenCuesBetween(state, T0 + from, T0 + to).map((c) => [c.at - T0, c.kind, c.text]);

  it('names each phase as it starts (round and target included), says halfway and 10 seconds', () => {
    // prepare 0-5 s, work 5-65 s, rest 65-80 s, work 80-140 s.
    expect(spoken(0, 200_000)).toEqual([
      [0, 'phase', 'Get ready'],
      [5_000, 'phase', 'Work, round 1 of 2, target zone 4'],
      [35_000, 'halfway', 'Halfway'],
      [55_000, 'countdown', '10 seconds'],
      [65_000, 'phase', 'Rest, round 1 of 2'],
      [80_000, 'phase', 'Work, round 2 of 2, target zone 4'],
      [110_000, 'halfway', 'Halfway'],
      [130_000, 'countdown', '10 seconds'],
    ]);
  });

  it('a bpm range is said as a range', () => {
    expect(phaseAnnouncement({ label: 'Hills', round: 1, roundsInBlock: 1 }, { kind: 'bpm', min: 140, max: 160 })).toBe('Hills, target 140 to 160');
  });

  it('lists nothing before the last command, and nothing while paused', () => {
    const skipped = skipPhase(started, T0 + 2_000).state;
    expect(spoken(0, 3_000, skipped)).toEqual([[2_000, 'phase', 'Work, round 1 of 2, target zone 4']]);
    expect(spoken(0, 200_000, pauseTimer(started, T0 + 1_000).state)).toEqual([]);
  });
});
