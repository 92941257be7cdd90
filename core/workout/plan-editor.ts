/**
 * Pure editing helpers for the interval editor. Each returns a new plan and never mutates its
 * input. An index out of range, or removing the only block (a plan needs at least one), returns
 * the plan unchanged, so the editor can call these without guarding; `canRemoveBlock` lets the
 * UI disable the button instead.
 */
import type { Block, IntervalPlan } from './plan';
import type { HrTarget } from './target-zone';

function inRange(plan: IntervalPlan, index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < plan.blocks.length;
}

/** Insert `block` at `index` (default: at the end). */
export function addBlock(plan: IntervalPlan, block: Block, index = plan.blocks.length): IntervalPlan {
  const at = Math.max(0, Math.min(plan.blocks.length, Math.trunc(index)));
  return { ...plan, blocks: [...plan.blocks.slice(0, at), block, ...plan.blocks.slice(at)] };
}

export function canRemoveBlock(plan: IntervalPlan): boolean {
  return plan.blocks.length > 1;
}

export function removeBlock(plan: IntervalPlan, index: number): IntervalPlan {
  if (!inRange(plan, index) || !canRemoveBlock(plan)) return plan;
  return { ...plan, blocks: plan.blocks.filter((_, i) => i !== index) };
}

/** Move the block at `from` so that it ends up at index `to`. */
export function moveBlock(plan: IntervalPlan, from: number, to: number): IntervalPlan {
  if (!inRange(plan, from) || !inRange(plan, to) || from === to) return plan;
  const blocks = [...plan.blocks];
  const [moved] = blocks.splice(from, 1);
  blocks.splice(to, 0, moved!);
  return { ...plan, blocks };
}

export function renameBlock(plan: IntervalPlan, index: number, name: string): IntervalPlan {
  return updateBlock(plan, index, { name });
}

/** Change some fields of one block (rounds, durations, labels, target zone). */
export function updateBlock(plan: IntervalPlan, index: number, patch: Partial<Block>): IntervalPlan {
  if (!inRange(plan, index)) return plan;
  return { ...plan, blocks: plan.blocks.map((b, i) => (i === index ? { ...b, ...patch } : b)) };
}

/**
 * Set the target of one block: a zone, a bpm range, or none (null). A block has one target at
 * most (plan.ts), so setting one removes the other.
 */
export function setBlockTarget(plan: IntervalPlan, index: number, target: HrTarget | null): IntervalPlan {
  if (!inRange(plan, index)) return plan;
  return {
    ...plan,
    blocks: plan.blocks.map((b, i) => {
      if (i !== index) return b;
      const { targetZone: _zone, targetBpm: _bpm, ...rest } = b;
      if (!target) return rest;
      return target.kind === 'zone' ? { ...rest, targetZone: target.zone } : { ...rest, targetBpm: { min: target.min, max: target.max } };
    }),
  };
}
