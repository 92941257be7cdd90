import { describe, expect, it } from 'vitest';
import { expandPlan, intervalStats, percentMaxZones, type IntervalPlan, type PhaseSpan } from '$core/workout';
import { intervalRows } from './interval-rows';

function spans(plan: IntervalPlan): PhaseSpan[] {
  return expandPlan(plan).map((phase, phaseIndex) => ({ phaseIndex, phase, start: phase.offsetMs, end: phase.offsetMs + phase.durationMs }));
}

describe('intervalRows', () => {
  it('pairs each work bout with its rest; the last bout stands alone', () => {
    const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'Tabata', blocks: [{ name: 'Main', workMs: 20_000, restMs: 10_000, rounds: 3 }] };
    const rows = intervalRows(intervalStats([], spans(plan), percentMaxZones(190)));
    expect(rows.map((r) => [r.label, r.work?.kind, r.rest?.kind ?? null])).toEqual([
      ['1/3', 'work', 'rest'],
      ['2/3', 'work', 'rest'],
      ['3/3', 'work', null],
    ]);
  });

  it('names the block when there are several', () => {
    const plan: IntervalPlan = {
      v: 1,
      mode: 'intervals',
      name: 'Two',
      blocks: [
        { name: 'A', workMs: 1000, restMs: 1000, rounds: 1 },
        { name: 'B', workMs: 1000, restMs: 0, rounds: 2 },
      ],
    };
    const rows = intervalRows(intervalStats([], spans(plan), percentMaxZones(190)));
    expect(rows.map((r) => r.label)).toEqual(['A 1/1', 'B 1/2', 'B 2/2']);
    expect(rows[0]!.rest).not.toBeNull();
  });
});
