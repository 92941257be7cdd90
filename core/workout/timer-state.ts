/**
 * The authoritative timer state: a small JSON value from which every screen computes the same
 * view from absolute timestamps (no tick counting), so a tab frozen for ten minutes, a restarted
 * server or a second screen all agree at once. The class-mode server persists exactly this shape.
 *
 * Two clocks:
 * - wall time: ms timestamps (`startedAt`, `pausedAt`, ...), whatever clock the caller passes.
 * - run time: wall time since `startedAt` minus time spent paused.
 * Plan position (where we are in `expandPlan(plan)`) = run time + all skips made so far.
 *
 * Serialized form (v1):
 * {
 *   "v": 1,
 *   "plan": { "v": 1, "mode": "intervals", "name": "Tabata", "blocks": [...] },
 *   "revision": 3,            // +1 on every accepted command; lets clients drop stale states
 *   "updatedAt": 1700000031000, // wall time of the last accepted command (null when fresh)
 *   "startedAt": 1700000000000, // null until started
 *   "pausedAt": null,           // wall time of the pause in progress, else null
 *   "pausedTotal": 12000,       // sum of completed pauses (== sum of pauses[].ms)
 *   "pauses": [{ "at": 1700000010000, "ms": 12000 }], // completed pauses, for phase history
 *   "skips": [{ "runMs": 19000, "skippedMs": 4000 }], // at run time runMs, position jumped ahead
 *   "stoppedAt": null           // wall time of stop; the run is frozen from then on
 * }
 *
 * Invariants: pausedTotal = Σ pauses.ms; at most one of pausedAt/stoppedAt is set; skips are
 * in non-decreasing runMs order; every timestamp is ≥ startedAt.
 */
import { z } from 'zod';
import { PlanSchema, type Plan } from './plan';

export const TIMER_STATE_VERSION = 1;
/** Bound on history arrays so a persisted state stays small. */
export const MAX_TIMER_EVENTS = 1_000;

const ms = z.number().int().min(0);
const timestamp = z.number().int();

export const TimerStateSchema = z
  .object({
    v: z.literal(TIMER_STATE_VERSION),
    plan: PlanSchema,
    revision: ms,
    updatedAt: timestamp.nullable(),
    startedAt: timestamp.nullable(),
    pausedAt: timestamp.nullable(),
    pausedTotal: ms,
    pauses: z.array(z.object({ at: timestamp, ms })).max(MAX_TIMER_EVENTS),
    skips: z.array(z.object({ runMs: ms, skippedMs: ms })).max(MAX_TIMER_EVENTS),
    stoppedAt: timestamp.nullable(),
  })
  .refine((s) => s.pausedTotal === s.pauses.reduce((sum, p) => sum + p.ms, 0), {
    message: 'pausedTotal must equal the sum of pauses',
    path: ['pausedTotal'],
  })
  .refine((s) => s.startedAt !== null || (s.pausedAt === null && s.stoppedAt === null && s.pauses.length === 0 && s.skips.length === 0), {
    message: 'a timer that has not started has no history',
    path: ['startedAt'],
  })
  .refine((s) => s.pausedAt === null || s.stoppedAt === null, {
    message: 'a stopped timer is not paused',
    path: ['pausedAt'],
  })
  .refine((s) => s.skips.every((k, i) => i === 0 || s.skips[i - 1]!.runMs <= k.runMs), {
    message: 'skips must be in run-time order',
    path: ['skips'],
  });

export interface TimerState {
  v: typeof TIMER_STATE_VERSION;
  plan: Plan;
  revision: number;
  updatedAt: number | null;
  startedAt: number | null;
  pausedAt: number | null;
  pausedTotal: number;
  pauses: Array<{ at: number; ms: number }>;
  skips: Array<{ runMs: number; skippedMs: number }>;
  stoppedAt: number | null;
}

export type TimerStateParseResult =
  | { ok: true; state: TimerState }
  | { ok: false; code: 'invalid-timer-state'; issues: z.core.$ZodIssue[] };

/** Validate a persisted or received timer state. Never throws. */
export function parseTimerState(input: unknown): TimerStateParseResult {
  const result = TimerStateSchema.safeParse(input);
  return result.success
    ? { ok: true, state: result.data }
    : { ok: false, code: 'invalid-timer-state', issues: result.error.issues };
}

/** A timer loaded with `plan`, not yet started. */
export function createTimer(plan: Plan): TimerState {
  return {
    v: TIMER_STATE_VERSION,
    plan,
    revision: 0,
    updatedAt: null,
    startedAt: null,
    pausedAt: null,
    pausedTotal: 0,
    pauses: [],
    skips: [],
    stoppedAt: null,
  };
}
