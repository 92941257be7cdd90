import { describe, expect, it } from 'vitest';
import { expandPlan, phaseIndexAt, planDurationMs } from './expand-plan';
import type { IntervalPlan } from './plan';
import { emomPlan, sixtySixtyPlan, stopwatchPlan, tabataPlan } from './presets';

const kinds = (plan: IntervalPlan) => expandPlan(plan).map((p) => p.kind);

describe('expandPlan', () => {
  it('Tabata: 5 s prepare, 8 work, 7 rests (no rest after the last round)', () => {
    const phases = expandPlan(tabataPlan());
    expect(phases[0]).toMatchObject({ kind: 'prepare', label: 'Get ready', durationMs: 5_000, offsetMs: 0, blockIndex: null, round: null });
    expect(phases.filter((p) => p.kind === 'work')).toHaveLength(8);
    expect(phases.filter((p) => p.kind === 'rest')).toHaveLength(7);
    expect(phases[phases.length - 1]).toMatchObject({ kind: 'work', round: 8, roundsInBlock: 8 });
    // 5 s + 8 × 20 s + 7 × 10 s = 5 + 160 + 70 = 235 s
    expect(planDurationMs(phases)).toBe(235_000);
  });

  it('numbers rounds and shares them between a work bout and its rest', () => {
    const phases = expandPlan(tabataPlan());
    expect(phases[1]).toMatchObject({ kind: 'work', blockIndex: 0, round: 1, roundsInBlock: 8, offsetMs: 5_000 });
    expect(phases[2]).toMatchObject({ kind: 'rest', blockIndex: 0, round: 1, offsetMs: 25_000 });
    expect(phases[3]).toMatchObject({ kind: 'work', round: 2, offsetMs: 35_000 });
  });

  it('EMOM has no rest phases; 60/60 alternates', () => {
    expect(kinds(emomPlan(3))).toEqual(['prepare', 'work', 'work', 'work']);
    expect(kinds(sixtySixtyPlan(2))).toEqual(['prepare', 'work', 'rest', 'work']);
  });

  it('keeps a block-final rest as the changeover when another block follows', () => {
    const plan: IntervalPlan = {
      v: 1,
      mode: 'intervals',
      name: 'Two blocks',
      prepareMs: 0,
      warmup: { durationMs: 60_000 },
      blocks: [
        { name: 'A', workMs: 10_000, restMs: 5_000, rounds: 2, workLabel: 'Push', restLabel: 'Breathe', targetZone: 4 },
        { name: 'B', workMs: 20_000, restMs: 10_000, rounds: 1 },
      ],
      cooldown: { durationMs: 30_000, label: 'Walk it off' },
    };
    const phases = expandPlan(plan);
    expect(phases.map((p) => [p.kind, p.label, p.blockIndex, p.blockName, p.round])).toEqual([
      ['warmup', 'Warm-up', null, null, null],
      ['work', 'Push', 0, 'A', 1],
      ['rest', 'Breathe', 0, 'A', 1],
      ['work', 'Push', 0, 'A', 2],
      ['rest', 'Breathe', 0, 'A', 2],
      ['work', 'Work', 1, 'B', 1],
      ['cooldown', 'Walk it off', null, null, null],
    ]);
    expect(phases[1]!.targetZone).toBe(4);
    expect(phases[5]!.targetZone).toBeUndefined();
    // 60 + 10 + 5 + 10 + 5 + 20 + 30 = 140 s
    expect(planDurationMs(phases)).toBe(140_000);
  });

  it('a stopwatch has no phases', () => {
    expect(expandPlan(stopwatchPlan())).toEqual([]);
    expect(planDurationMs([])).toBe(0);
  });
});

describe('phaseIndexAt', () => {
  const phases = expandPlan(tabataPlan());
  it.each([
    [0, 0],
    [4_999, 0],
    [5_000, 1],
    [24_999, 1],
    [25_000, 2],
    [234_999, 15],
    [235_000, 15],
    [1e9, 15],
  ])('position %i → phase %i', (position, index) => {
    expect(phaseIndexAt(phases, position)).toBe(index);
  });
});
