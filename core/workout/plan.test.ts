import { describe, expect, it } from 'vitest';
import { largestAllowedPlan, parsePlan, PLAN_LIMITS, PlanSchema, totalRounds } from './plan';
import { emomPlan, PRESETS, sixtySixtyPlan, stopwatchPlan, tabataPlan } from './presets';

describe('PlanSchema', () => {
  it('accepts every preset unchanged', () => {
    for (const plan of [tabataPlan(), emomPlan(12), sixtySixtyPlan(), stopwatchPlan()]) {
      expect(PlanSchema.parse(plan)).toEqual(plan);
    }
  });

  it('every preset in PRESETS builds a valid plan', () => {
    for (const build of Object.values(PRESETS)) expect(PlanSchema.safeParse(build()).success).toBe(true);
  });

  it('round-trips a full plan through JSON', () => {
    const plan = {
      v: 1,
      mode: 'intervals',
      name: 'Pyramid',
      prepareMs: 10_000,
      warmup: { durationMs: 300_000, label: 'Easy spin' },
      blocks: [
        { name: 'A', workMs: 30_000, restMs: 15_000, rounds: 4, workLabel: 'Sprint', restLabel: 'Walk', targetZone: 4 },
        { name: 'B', workMs: 60_000, restMs: 0, rounds: 2 },
      ],
      cooldown: { durationMs: 120_000 },
    };
    const result = parsePlan(JSON.parse(JSON.stringify(plan)));
    expect(result).toEqual({ ok: true, plan });
  });

  it('a plan saved before targets existed (no target on any block) still parses unchanged', () => {
    const old = { v: 1, mode: 'intervals', name: 'Old', blocks: [{ name: 'A', workMs: 20_000, restMs: 10_000, rounds: 8 }] };
    expect(parsePlan(JSON.parse(JSON.stringify(old)))).toEqual({ ok: true, plan: old });
  });

  it('round-trips a bpm range target through JSON, beside a zone target on another block', () => {
    const plan = {
      v: 1,
      mode: 'intervals',
      name: 'Targets',
      blocks: [
        { name: 'A', workMs: 30_000, restMs: 15_000, rounds: 4, targetBpm: { min: 140, max: 160 } },
        { name: 'B', workMs: 60_000, restMs: 0, rounds: 2, targetZone: 3 },
      ],
    };
    expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual({ ok: true, plan });
  });

  it('accepts the largest allowed plan: the total-rounds bound, spread over the most blocks', () => {
    const plan = largestAllowedPlan();
    expect(parsePlan(plan).ok).toBe(true);
    expect(plan.blocks).toHaveLength(PLAN_LIMITS.maxBlocks);
    expect(totalRounds(plan.blocks)).toBe(PLAN_LIMITS.maxTotalRounds);
  });

  it.each([
    ['no blocks', { ...tabataPlan(), blocks: [] }],
    ['zero work', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 0, restMs: 0, rounds: 1 }] }],
    ['negative rest', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: -1, rounds: 1 }] }],
    ['fractional ms', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000.5, restMs: 0, rounds: 1 }] }],
    ['zero rounds', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 0 }] }],
    ['too many rounds', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 100_000 }] }],
    // 50 × 500 rounds once cost ~240 ms per room timer command (issue 11, defect 10).
    ['too many rounds in all blocks', { ...tabataPlan(), blocks: Array.from({ length: 50 }, () => ({ name: 'x', workMs: 1000, restMs: 1000, rounds: 500 })) }],
    ['one round over the total', { ...largestAllowedPlan(), blocks: [...largestAllowedPlan().blocks.slice(0, -1), { ...largestAllowedPlan().blocks.at(-1)!, rounds: 11 }] }],
    ['zone 6', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetZone: 6 }] }],
    ['a zone and a bpm range on one block', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetZone: 3, targetBpm: { min: 120, max: 140 } }] }],
    ['a bpm range upside down', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetBpm: { min: 150, max: 140 } }] }],
    ['an empty bpm range', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetBpm: { min: 140, max: 140 } }] }],
    ['a bpm range above 250', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetBpm: { min: 200, max: 300 } }] }],
    ['a fractional bpm', { ...tabataPlan(), blocks: [{ name: 'x', workMs: 1000, restMs: 0, rounds: 1, targetBpm: { min: 120.5, max: 140 } }] }],
    ['blank name', { ...tabataPlan(), name: '   ' }],
    ['unknown version', { ...tabataPlan(), v: 2 }],
    ['unknown mode', { v: 1, mode: 'amrap', name: 'x' }],
    ['not an object', 'tabata'],
  ])('rejects %s with a stable code', (_, input) => {
    const result = parsePlan(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid-plan');
      expect(result.issues.length).toBeGreaterThan(0);
    }
  });
});
