/**
 * Interval plans: what a workout timer runs.
 *
 * A plan is either a stopwatch (elapsed time only) or an interval plan: an optional prepare
 * countdown (default 5 s, as in the HRM Dashboard we replace), an optional warm-up, one or more
 * blocks of `rounds` × (work, rest), and an optional cool-down. Plans are stored in IndexedDB,
 * synced, and sent to the class-mode server, so `PlanSchema` checks them at every edge;
 * code inside trusts the `Plan` type. All durations are integer milliseconds.
 */
import { z } from 'zod';

export const PLAN_VERSION = 1;
export const DEFAULT_PREPARE_MS = 5_000;

/**
 * Upper bounds keep a hostile or corrupt plan from expanding into millions of phases. The
 * timer expands the plan on every command (core/workout/timer-engine.ts), on the server's event
 * loop for a class: 50 blocks × 500 rounds (50 000 phases) cost ~240 ms per command, so the
 * rounds of all blocks together are bounded too; bench/room-timer-command.bench.ts measures
 * the largest allowed plan (about 1 000 phases).
 */
export const PLAN_LIMITS = {
  maxPhaseMs: 24 * 60 * 60 * 1000,
  maxRounds: 500,
  maxBlocks: 50,
  /** Rounds of all blocks together: 500 Tabata rounds (20 s + 10 s) are over 4 h. */
  maxTotalRounds: 500,
  maxLabel: 60,
} as const;

/** Rounds of all blocks together (what PLAN_LIMITS.maxTotalRounds bounds). */
export const totalRounds = (blocks: readonly { rounds: number }[]) => blocks.reduce((n, b) => n + b.rounds, 0);

const label = z.string().trim().min(1).max(PLAN_LIMITS.maxLabel);
const positiveMs = z.number().int().positive().max(PLAN_LIMITS.maxPhaseMs);
const zoneNumber = z.number().int().min(1).max(5);
/** Heart-rate bounds a person can reach and a strap reports (as in the profile). */
export const TARGET_BPM_LIMITS = { min: 25, max: 250 } as const;
const targetBpmValue = z.number().int().min(TARGET_BPM_LIMITS.min).max(TARGET_BPM_LIMITS.max);

/** A target heart-rate range in bpm, both ends included. */
export const BpmRangeSchema = z
  .object({ min: targetBpmValue, max: targetBpmValue })
  .refine((r) => r.min < r.max, { message: 'the lowest heart rate must be below the highest', path: ['max'] });

/**
 * A block aims its work bouts at a zone of the member's own (`targetZone`) or at a bpm range
 * (`targetBpm`), never both: two targets could disagree. Both are optional, so plans saved
 * before targets existed stay valid, and an app that predates `targetBpm` drops it when parsing
 * (zod objects strip unknown keys) instead of refusing the plan.
 */
export const BlockSchema = z
  .object({
    name: label,
    workMs: positiveMs,
    /** 0 means no rest phases (EMOM). */
    restMs: z.number().int().min(0).max(PLAN_LIMITS.maxPhaseMs),
    rounds: z.number().int().min(1).max(PLAN_LIMITS.maxRounds),
    workLabel: label.optional(),
    restLabel: label.optional(),
    /** Heart-rate zone (1-5) the work bouts aim for; used for "time to target" and live cues. */
    targetZone: zoneNumber.optional(),
    /** A heart-rate range (bpm) the work bouts aim for, instead of a zone; used for live cues. */
    targetBpm: BpmRangeSchema.optional(),
  })
  .refine((b) => b.targetZone === undefined || b.targetBpm === undefined, { message: 'a block has a target zone or a bpm range, not both', path: ['targetBpm'] });

export const SegmentSchema = z.object({
  durationMs: positiveMs,
  label: label.optional(),
});

export const IntervalPlanSchema = z.object({
  v: z.literal(PLAN_VERSION),
  mode: z.literal('intervals'),
  name: label,
  /** Countdown before the first phase; absent means DEFAULT_PREPARE_MS, 0 means none. */
  prepareMs: z.number().int().min(0).max(PLAN_LIMITS.maxPhaseMs).optional(),
  warmup: SegmentSchema.optional(),
  blocks: z
    .array(BlockSchema)
    .min(1)
    .max(PLAN_LIMITS.maxBlocks)
    .refine((blocks) => totalRounds(blocks) <= PLAN_LIMITS.maxTotalRounds, { message: `at most ${PLAN_LIMITS.maxTotalRounds} rounds in all blocks together` }),
  cooldown: SegmentSchema.optional(),
});

export const StopwatchPlanSchema = z.object({
  v: z.literal(PLAN_VERSION),
  mode: z.literal('stopwatch'),
  name: label,
});

export const PlanSchema = z.discriminatedUnion('mode', [IntervalPlanSchema, StopwatchPlanSchema]);

export type Block = z.infer<typeof BlockSchema>;
export type Segment = z.infer<typeof SegmentSchema>;
export type IntervalPlan = z.infer<typeof IntervalPlanSchema>;
export type StopwatchPlan = z.infer<typeof StopwatchPlanSchema>;
export type Plan = z.infer<typeof PlanSchema>;

export type PlanParseResult =
  | { ok: true; plan: Plan }
  | { ok: false; code: 'invalid-plan'; issues: z.core.$ZodIssue[] };

/** Validate an untrusted plan (from storage, the network, an import). Never throws. */
export function parsePlan(input: unknown): PlanParseResult {
  const result = PlanSchema.safeParse(input);
  return result.success
    ? { ok: true, plan: result.data }
    : { ok: false, code: 'invalid-plan', issues: result.error.issues };
}

/** The biggest plan PlanSchema accepts (benchmarks and tests of the bounds). */
export function largestAllowedPlan(): IntervalPlan {
  const label = 'x'.repeat(PLAN_LIMITS.maxLabel);
  const perBlock = Math.floor(PLAN_LIMITS.maxTotalRounds / PLAN_LIMITS.maxBlocks);
  const blocks = Array.from({ length: PLAN_LIMITS.maxBlocks }, (_, i) => ({
    name: label,
    workMs: 20_000,
    restMs: 10_000,
    // The total bound, spread over the most blocks (the rest on the last one).
    rounds: i === PLAN_LIMITS.maxBlocks - 1 ? PLAN_LIMITS.maxTotalRounds - perBlock * (PLAN_LIMITS.maxBlocks - 1) : perBlock,
    workLabel: label,
    restLabel: label,
    targetZone: 4,
  }));
  return { v: PLAN_VERSION, mode: 'intervals', name: label, prepareMs: 10_000, warmup: { durationMs: 60_000, label }, blocks, cooldown: { durationMs: 60_000, label } };
}
