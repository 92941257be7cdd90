import { describe, expect, it } from 'vitest';
import { PLAN_VERSION, tabataPlan, type Plan } from '$core/workout';
import { defaultPlanOptions, resolveDefaultPlan } from './default-plan';

const ladder: Plan = { v: PLAN_VERSION, mode: 'intervals', name: 'Ladder', blocks: [{ name: 'Main', workMs: 45_000, restMs: 15_000, rounds: 3 }] };
const saved = [{ id: 'abc123', name: 'Ladder', plan: ladder }];

describe('default plan', () => {
  it('resolves a preset id and a saved plan id', () => {
    expect(resolveDefaultPlan('tabata', saved)).toEqual({ id: 'tabata', kind: 'preset', name: 'Tabata', plan: tabataPlan() });
    expect(resolveDefaultPlan('abc123', saved)).toEqual({ id: 'abc123', kind: 'saved', name: 'Ladder', plan: ladder });
  });

  it('is nothing when none is chosen or the saved plan is not on this device', () => {
    expect(resolveDefaultPlan(null, saved)).toBeNull();
    expect(resolveDefaultPlan('gone00', saved)).toBeNull();
    // Object's own keys are not presets.
    expect(resolveDefaultPlan('toString', saved)).toBeNull();
  });

  it('offers the presets, then the saved plans', () => {
    expect(defaultPlanOptions(saved).map((o) => o.id)).toEqual(['tabata', 'emom', 'sixty-sixty', 'stopwatch', 'abc123']);
  });
});
