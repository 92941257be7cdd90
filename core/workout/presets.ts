/** Built-in plans: the presets the HRM Dashboard offered, plus EMOM and a stopwatch. */
import { PLAN_VERSION, type IntervalPlan, type Plan, type StopwatchPlan } from './plan';

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

/**
 * The resting check: a short guided reading lying or sitting still, as Polar's and Elite HRV's
 * morning readings are, that gives a measured resting heart rate and RMSSD (core/workout/
 * resting-check.ts says how). A minute to settle (the warm-up phase: HR and RR are not yet at
 * rest after lying down), then two minutes measured (the one work phase). No prepare countdown:
 * the settle minute is the time to get still. Not in PRESETS: it is no workout to run in a class
 * or pick as the default plan.
 */
export const RESTING_CHECK_SETTLE_MS = 60 * SECOND;
export const RESTING_CHECK_MEASURE_MS = 120 * SECOND;

/**
 * A synced session's `plan.planId` (docs/sync-protocol.md §3) names a resting check with this
 * id, so the server tells it from a workout without a new field (other sessions send their plan
 * mode there).
 */
export const RESTING_CHECK_PLAN_ID = 'resting-check';

export function restingCheckPlan(): IntervalPlan {
  return {
    v: PLAN_VERSION,
    mode: 'intervals',
    name: 'Resting check',
    prepareMs: 0,
    warmup: { durationMs: RESTING_CHECK_SETTLE_MS, label: 'Settle' },
    blocks: [{ name: 'Resting check', workMs: RESTING_CHECK_MEASURE_MS, restMs: 0, rounds: 1, workLabel: 'Measure' }],
  };
}

/** The plan a resting check runs (the picker offers no way to change it, so it is this one). */
export function isRestingCheckPlan(plan: Plan): boolean {
  return sortedJson(plan) === sortedJson(restingCheckPlan());
}

/** JSON with object keys sorted: a plan parsed from storage or the wire may order them otherwise. */
const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
