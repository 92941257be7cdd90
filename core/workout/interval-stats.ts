/**
 * Per-interval analytics from the phases actually run (phase-history.ts):
 * - work bout: time-weighted average and peak heart rate, and time to target: running time
 *   (pauses excluded) from the bout's start until the heart rate first reaches the block's target
 *   zone or above; 0 if already there at the start; null when never reached or no target.
 * - rest: heart-rate drop = HR in force at the rest's start (the last valid reading at or before
 *   it, i.e. the end of the work bout) minus the HR in force just before the rest ends (the last
 *   valid reading strictly before its end); null when either is missing (a gap).
 * A phase split by a pause is one interval: its spans are merged, the pause left out.
 */
import type { Phase } from './expand-plan';
import { hrStats } from './hr-stats';
import type { PhaseSpan } from './phase-history';
import { bpmAt, DEFAULT_MAX_HOLD_MS, heldSegmentsIn, type Reading } from './readings';
import { zoneFor, type Zone } from './zones';

interface IntervalBase {
  phaseIndex: number;
  phase: Phase;
  start: number;
  end: number;
  /** Running time in the phase (pauses excluded). */
  activeMs: number;
  avgBpm: number | null;
  peakBpm: number | null;
}

export interface WorkBoutStats extends IntervalBase {
  kind: 'work';
  targetZone: number | null;
  timeToTargetMs: number | null;
}

export interface RestStats extends IntervalBase {
  kind: 'rest';
  startBpm: number | null;
  endBpm: number | null;
  /**
   * Recovery over the rest: heart rate at the end of the work bout (the rest's start) minus
   * heart rate at the end of the rest, so positive when the heart rate falls. Every screen shows
   * it with web/src/lib/figures formatRestDrop.
   */
  dropBpm: number | null;
}

export type IntervalStats = WorkBoutStats | RestStats;

function groupByPhase(spans: readonly PhaseSpan[]): PhaseSpan[][] {
  const groups = new Map<number, PhaseSpan[]>();
  for (const span of spans) {
    const group = groups.get(span.phaseIndex);
    if (group) group.push(span);
    else groups.set(span.phaseIndex, [span]);
  }
  return [...groups.values()];
}

function timeToTarget(readings: readonly Reading[], spans: readonly PhaseSpan[], zones: readonly Zone[], target: number, maxHoldMs: number): number | null {
  let activeBefore = 0;
  for (const span of spans) {
    for (const s of heldSegmentsIn(readings, [span], maxHoldMs)) {
      if (zoneFor(s.bpm, zones).number >= target) return activeBefore + (s.from - span.start);
    }
    activeBefore += span.end - span.start;
  }
  return null;
}

/** `readings` in time order; `spans` as produced by `phaseHistory`. */
export function intervalStats(
  readings: readonly Reading[],
  spans: readonly PhaseSpan[],
  zones: readonly Zone[],
  maxHoldMs = DEFAULT_MAX_HOLD_MS,
): IntervalStats[] {
  const result: IntervalStats[] = [];
  for (const group of groupByPhase(spans)) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    if (first.phase.kind !== 'work' && first.phase.kind !== 'rest') continue;
    const stats = hrStats(heldSegmentsIn(readings, group, maxHoldMs));
    const base: IntervalBase = {
      phaseIndex: first.phaseIndex,
      phase: first.phase,
      start: first.start,
      end: last.end,
      activeMs: group.reduce((sum, s) => sum + (s.end - s.start), 0),
      avgBpm: stats?.avgBpm ?? null,
      peakBpm: stats?.maxBpm ?? null,
    };
    if (first.phase.kind === 'work') {
      const target = first.phase.targetZone ?? null;
      result.push({
        ...base,
        kind: 'work',
        targetZone: target,
        timeToTargetMs: target === null ? null : timeToTarget(readings, group, zones, target, maxHoldMs),
      });
    } else {
      const startBpm = bpmAt(readings, first.start, maxHoldMs);
      const endBpm = bpmAt(readings, last.end, maxHoldMs, true);
      result.push({
        ...base,
        kind: 'rest',
        startBpm,
        endBpm,
        dropBpm: startBpm === null || endBpm === null ? null : startBpm - endBpm,
      });
    }
  }
  return result.sort((a, b) => a.phaseIndex - b.phaseIndex);
}
