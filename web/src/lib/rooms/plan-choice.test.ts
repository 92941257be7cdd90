import { describe, expect, it } from 'vitest';
import { PLAN_VERSION, PlanSchema, emomPlan, stopwatchPlan, tabataPlan, type Plan } from '$core/workout';
import { clampRounds, planForChoice } from './plan-choice';

const ladder: Plan = { v: PLAN_VERSION, mode: 'intervals', name: 'Coach Ladder', blocks: [{ name: 'Main', workMs: 45_000, restMs: 15_000, rounds: 3 }], prepareMs: 0 };
const own = [{ id: 'abc123', name: 'Coach Ladder', plan: ladder }];

describe('room plan choice', () => {
  it('builds a preset with the rounds typed, bounded to what the server accepts', () => {
    expect(planForChoice({ kind: 'preset', id: 'tabata', rounds: 4 }, own)).toEqual(tabataPlan(4));
    expect(planForChoice({ kind: 'preset', id: 'emom', rounds: 0 }, own)).toEqual(emomPlan(1));
    expect(planForChoice({ kind: 'preset', id: 'stopwatch', rounds: 0 }, own)).toEqual(stopwatchPlan());
    const most = planForChoice({ kind: 'preset', id: 'tabata', rounds: 10_000 }, own);
    expect(most).toEqual(tabataPlan(500));
    expect(PlanSchema.safeParse(most).success).toBe(true);
    expect([clampRounds(Number.NaN), clampRounds(2.6), clampRounds(-3)]).toEqual([1, 3, 1]);
  });

  it("gives the coach's own plan as saved, and a preset once that plan is gone", () => {
    expect(planForChoice({ kind: 'saved', id: 'abc123' }, own)).toBe(ladder);
    expect(planForChoice({ kind: 'saved', id: 'abc123' }, [])).toEqual(tabataPlan());
  });
});
