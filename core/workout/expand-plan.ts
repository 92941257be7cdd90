/**
 * Flatten a plan into the ordered list of phases the timer runs.
 *
 * Rest rule (our choice): every round has a rest after its work, EXCEPT the last round of the
 * last block. A block's final rest is kept when another block follows (it is the changeover),
 * and dropped at the end of the plan, where it would only delay the cool-down or the finish.
 * So Tabata (8 × 20 s / 10 s) runs 8 work and 7 rest phases: 3 min 50 s after the prepare.
 * `restMs: 0` produces no rest phases at all (EMOM).
 */
import { DEFAULT_PREPARE_MS, type Plan } from './plan';

export type PhaseKind = 'prepare' | 'warmup' | 'work' | 'rest' | 'cooldown';

export interface Phase {
  kind: PhaseKind;
  label: string;
  durationMs: number;
  /** Offset of the phase start from the plan start, in plan time (no pauses, no skips). */
  offsetMs: number;
  /** Index into `plan.blocks`; null for prepare, warm-up and cool-down. */
  blockIndex: number | null;
  blockName: string | null;
  /** 1-based round within the block; null outside blocks. */
  round: number | null;
  roundsInBlock: number | null;
  /** Only on work phases whose block sets a target zone. */
  targetZone?: number;
}

export const DEFAULT_LABELS: Record<PhaseKind, string> = {
  prepare: 'Get ready',
  warmup: 'Warm-up',
  work: 'Work',
  rest: 'Rest',
  cooldown: 'Cool-down',
};

type PhaseDraft = Omit<Phase, 'offsetMs'>;

function single(kind: PhaseKind, durationMs: number, label?: string): PhaseDraft {
  return { kind, label: label ?? DEFAULT_LABELS[kind], durationMs, blockIndex: null, blockName: null, round: null, roundsInBlock: null };
}

/** Stopwatch plans have no phases: []. */
export function expandPlan(plan: Plan): Phase[] {
  if (plan.mode === 'stopwatch') return [];
  const drafts: PhaseDraft[] = [];
  const prepareMs = plan.prepareMs ?? DEFAULT_PREPARE_MS;
  if (prepareMs > 0) drafts.push(single('prepare', prepareMs));
  if (plan.warmup) drafts.push(single('warmup', plan.warmup.durationMs, plan.warmup.label));
  plan.blocks.forEach((block, blockIndex) => {
    const lastBlock = blockIndex === plan.blocks.length - 1;
    for (let round = 1; round <= block.rounds; round++) {
      const where = { blockIndex, blockName: block.name, round, roundsInBlock: block.rounds };
      drafts.push({
        kind: 'work',
        label: block.workLabel ?? DEFAULT_LABELS.work,
        durationMs: block.workMs,
        ...where,
        ...(block.targetZone === undefined ? {} : { targetZone: block.targetZone }),
      });
      const finalRest = lastBlock && round === block.rounds;
      if (block.restMs > 0 && !finalRest) {
        drafts.push({ kind: 'rest', label: block.restLabel ?? DEFAULT_LABELS.rest, durationMs: block.restMs, ...where });
      }
    }
  });
  if (plan.cooldown) drafts.push(single('cooldown', plan.cooldown.durationMs, plan.cooldown.label));
  let offsetMs = 0;
  return drafts.map((draft) => {
    const phase = { ...draft, offsetMs };
    offsetMs += draft.durationMs;
    return phase;
  });
}

/** Total plan time in ms (sum of phase durations). */
export function planDurationMs(phases: readonly Phase[]): number {
  const last = phases[phases.length - 1];
  return last ? last.offsetMs + last.durationMs : 0;
}

/** Index of the phase containing plan position `positionMs`; the last phase at or past the end. */
export function phaseIndexAt(phases: readonly Phase[], positionMs: number): number {
  let lo = 0;
  let hi = phases.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (phases[mid]!.offsetMs <= positionMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
