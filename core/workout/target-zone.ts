/**
 * Target heart rate per interval: is the member under, on or over the target of the phase they
 * are in, and when does that change enough to tell them?
 *
 * A block's target (plan.ts: `targetZone` or `targetBpm`) applies to its work bouts only, as
 * "time to target" does (interval-stats.ts): rest is recovery, and warm-up, cool-down and the
 * prepare countdown have no target.
 *
 * Range: a zone is [minBpm, maxBpm) of the member's own zones (zones.ts), zone 5 open above;
 * a bpm range includes both ends. Fractional zone bounds are compared as they are.
 *
 * Debounce rule (`trackTarget`): a strap that flickers at a boundary must not alarm. The status
 * shown changes only when the raw status has differed from it for TARGET_DWELL_MS (5 s) without
 * a break, so "out of target for ≥ 5 s" before a cue, and "back on target for ≥ 5 s" before the
 * all-clear. The first status of a phase is shown at once and silently: at the start of a work
 * bout the heart rate lags by tens of seconds, so "under" there is expected, not news. No heart
 * rate (no strap, a gap, a stale reading) or a phase without a target shows nothing and starts
 * over silently when a reading comes back.
 */
import type { Phase } from './expand-plan';
import type { Block, Plan } from './plan';
import type { Zone } from './zones';

export type HrTarget = { kind: 'zone'; zone: number } | { kind: 'bpm'; min: number; max: number };
export type TargetStatus = 'under' | 'on' | 'over';

/** The range a target asks for; `maxBpm` null = no upper bound (zone 5). */
export interface TargetRange {
  minBpm: number;
  maxBpm: number | null;
  /** Whether `maxBpm` itself is on target (a bpm range) or already over (a zone's exclusive top). */
  maxInclusive: boolean;
}

/** How long a new status must hold before it is shown (and cued). */
export const TARGET_DWELL_MS = 5_000;

export function blockTarget(block: Pick<Block, 'targetZone' | 'targetBpm'>): HrTarget | null {
  if (block.targetBpm) return { kind: 'bpm', min: block.targetBpm.min, max: block.targetBpm.max };
  if (block.targetZone !== undefined) return { kind: 'zone', zone: block.targetZone };
  return null;
}

/** The target of `phase` in `plan`: its block's, on work phases only. */
export function phaseTarget(plan: Plan, phase: Pick<Phase, 'kind' | 'blockIndex'>): HrTarget | null {
  if (plan.mode !== 'intervals' || phase.kind !== 'work' || phase.blockIndex === null) return null;
  const block = plan.blocks[phase.blockIndex];
  return block ? blockTarget(block) : null;
}

/** The bpm range of `target` for this member's zones; null for a zone the zones lack. */
export function targetRange(target: HrTarget, zones: readonly Zone[]): TargetRange | null {
  if (target.kind === 'bpm') return { minBpm: target.min, maxBpm: target.max, maxInclusive: true };
  const zone = zones.find((z) => z.number === target.zone);
  if (!zone) return null;
  const top = zones.every((z) => z.number <= zone.number);
  return { minBpm: zone.minBpm, maxBpm: top ? null : zone.maxBpm, maxInclusive: false };
}

/** Where `bpm` is against `range`, undebounced. */
export function classifyBpm(bpm: number, range: TargetRange): TargetStatus {
  if (bpm < range.minBpm) return 'under';
  if (range.maxBpm === null) return 'on';
  if (bpm > range.maxBpm || (!range.maxInclusive && bpm === range.maxBpm)) return 'over';
  return 'on';
}

/** Raw status of `bpm` for `target`; null without a heart rate or a target. */
export function targetStatus(bpm: number | null, target: HrTarget | null, zones: readonly Zone[]): TargetStatus | null {
  if (bpm === null || bpm <= 0 || !target) return null;
  const range = targetRange(target, zones);
  return range ? classifyBpm(bpm, range) : null;
}

/** The debounced status (`shown`) and the raw status waiting to replace it. */
export interface TargetTracker {
  /** Which phase (and target) the status belongs to; a new key starts over. */
  key: string | null;
  shown: TargetStatus | null;
  pending: TargetStatus | null;
  pendingSince: number | null;
}

export const INITIAL_TARGET_TRACKER: TargetTracker = { key: null, shown: null, pending: null, pendingSince: null };

export interface TargetInput {
  at: number;
  /** The current heart rate; null when there is none (no strap, gap, stale). */
  bpm: number | null;
  target: HrTarget | null;
  /** Identifies the phase, e.g. its index: a new phase starts over silently. */
  key: string;
  zones: readonly Zone[];
}

/** A change of the shown status worth a cue: leaving the target, or coming back to it. */
export interface TargetChange {
  from: TargetStatus;
  to: TargetStatus;
  at: number;
}

/**
 * Feed the current reading (on every reading or tick, with a monotonic `at`). Returns the new
 * tracker and, when the shown status changed from one status to another after the dwell, that
 * change (never for the silent first status of a phase).
 */
export function trackTarget(tracker: TargetTracker, input: TargetInput, dwellMs = TARGET_DWELL_MS): { tracker: TargetTracker; change: TargetChange | null } {
  const raw = targetStatus(input.bpm, input.target, input.zones);
  if (raw === null) return { tracker: { ...INITIAL_TARGET_TRACKER, key: input.key }, change: null };
  if (tracker.key !== input.key || tracker.shown === null) {
    return { tracker: { key: input.key, shown: raw, pending: null, pendingSince: null }, change: null };
  }
  if (raw === tracker.shown) return { tracker: { ...tracker, pending: null, pendingSince: null }, change: null };
  if (raw !== tracker.pending || tracker.pendingSince === null) {
    return { tracker: { ...tracker, pending: raw, pendingSince: input.at }, change: null };
  }
  if (input.at - tracker.pendingSince < dwellMs) return { tracker, change: null };
  return {
    tracker: { key: input.key, shown: raw, pending: null, pendingSince: null },
    change: { from: tracker.shown, to: raw, at: input.at },
  };
}

/** Words for a change: what to do about it. */
export function targetChangeText(change: Pick<TargetChange, 'to'>): string {
  return change.to === 'under' ? 'Speed up' : change.to === 'over' ? 'Ease off' : 'On target';
}

/** A short label for a target, e.g. "Zone 4" or "140–160 bpm". */
export function targetLabel(target: HrTarget): string {
  return target.kind === 'zone' ? `Zone ${target.zone}` : `${target.min}–${target.max} bpm`;
}
