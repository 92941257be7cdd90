/** Built-in plans: the presets the HRM Dashboard offered, plus EMOM and a stopwatch. */
import { PLAN_VERSION, type IntervalPlan, type StopwatchPlan } from './plan';

const SECOND = 1_000;

/** Tabata: 8 × 20 s work / 10 s rest (Tabata et al. 1996, Med Sci Sports Exerc 28(10):1327-1330). */
export function tabataPlan(rounds = 8): IntervalPlan {
  return {
    v: PLAN_VERSION,
    mode: 'intervals',
    name: 'Tabata',
    blocks: [{ name: 'Tabata', workMs: 20 * SECOND, restMs: 10 * SECOND, rounds }],
  };
}

/** Every minute on the minute: N × 60 s, no rest phase (the rest is whatever is left of the minute). */
export function emomPlan(rounds = 10): IntervalPlan {
  return {
    v: PLAN_VERSION,
    mode: 'intervals',
    name: 'EMOM',
    blocks: [{ name: 'EMOM', workMs: 60 * SECOND, restMs: 0, rounds }],
  };
}

/** 60/60: N × 60 s work / 60 s rest. */
export function sixtySixtyPlan(rounds = 10): IntervalPlan {
  return {
    v: PLAN_VERSION,
    mode: 'intervals',
    name: '60/60',
    blocks: [{ name: '60/60', workMs: 60 * SECOND, restMs: 60 * SECOND, rounds }],
  };
}

export function stopwatchPlan(): StopwatchPlan {
  return { v: PLAN_VERSION, mode: 'stopwatch', name: 'Stopwatch' };
}

/** The presets offered in pickers, by id; each builds a fresh plan with its default rounds. */
export const PRESETS = {
  tabata: tabataPlan,
  emom: emomPlan,
  'sixty-sixty': sixtySixtyPlan,
  stopwatch: stopwatchPlan,
} as const;

export type PresetId = keyof typeof PRESETS;
