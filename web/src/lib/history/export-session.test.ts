import { describe, expect, it } from 'vitest';
import { expandPlan, type IntervalPlan, type PhaseSpan } from '$core/workout';
import { mergePhaseSpans } from './export-session';

describe('mergePhaseSpans', () => {
  it('merges the pieces of a paused phase into one, pauses left out of active time', () => {
    const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'P', prepareMs: 0, blocks: [{ name: 'M', workMs: 10_000, restMs: 5_000, rounds: 2 }] };
    const [work, rest] = expandPlan(plan);
    const spans: PhaseSpan[] = [
      { phaseIndex: 0, phase: work!, start: 0, end: 4_000 },
      { phaseIndex: 0, phase: work!, start: 9_000, end: 15_000 }, // 5 s pause
      { phaseIndex: 1, phase: rest!, start: 15_000, end: 20_000 },
    ];
    expect(mergePhaseSpans(spans)).toEqual([
      { kind: 'work', label: 'Work', start: 0, end: 15_000, activeMs: 10_000 },
      { kind: 'rest', label: 'Rest', start: 15_000, end: 20_000, activeMs: 5_000 },
    ]);
  });
});
