import { describe, expect, it } from 'vitest';
import { addBlock, canRemoveBlock, moveBlock, removeBlock, renameBlock, setBlockTarget, updateBlock } from './plan-editor';
import { parsePlan } from './plan';
import type { Block, IntervalPlan } from './plan';
import { tabataPlan } from './presets';

const block = (name: string): Block => ({ name, workMs: 30_000, restMs: 10_000, rounds: 3 });
const names = (plan: IntervalPlan) => plan.blocks.map((b) => b.name);
const base = (): IntervalPlan => ({ ...tabataPlan(), blocks: [block('A'), block('B'), block('C')] });

describe('plan editor', () => {
  it('adds at the end or at an index, without mutating', () => {
    const plan = base();
    const frozen = structuredClone(plan);
    expect(names(addBlock(plan, block('D')))).toEqual(['A', 'B', 'C', 'D']);
    expect(names(addBlock(plan, block('D'), 1))).toEqual(['A', 'D', 'B', 'C']);
    expect(names(addBlock(plan, block('D'), 99))).toEqual(['A', 'B', 'C', 'D']);
    expect(plan).toEqual(frozen);
  });

  it('removes, but never the only block', () => {
    expect(names(removeBlock(base(), 1))).toEqual(['A', 'C']);
    const single = tabataPlan();
    expect(canRemoveBlock(single)).toBe(false);
    expect(removeBlock(single, 0)).toBe(single);
    expect(removeBlock(base(), 5).blocks).toHaveLength(3);
  });

  it('moves a block to a new index', () => {
    expect(names(moveBlock(base(), 0, 2))).toEqual(['B', 'C', 'A']);
    expect(names(moveBlock(base(), 2, 0))).toEqual(['C', 'A', 'B']);
    const plan = base();
    expect(moveBlock(plan, 0, 3)).toBe(plan);
  });

  it('renames and updates one block', () => {
    expect(names(renameBlock(base(), 1, 'Hills'))).toEqual(['A', 'Hills', 'C']);
    const updated = updateBlock(base(), 2, { rounds: 8, targetZone: 5 });
    expect(updated.blocks[2]).toEqual({ ...block('C'), rounds: 8, targetZone: 5 });
    expect(updated.blocks[0]).toEqual(block('A'));
  });

  it('sets one target per block: a zone, a bpm range or none, each replacing the other', () => {
    const zone = setBlockTarget(base(), 1, { kind: 'zone', zone: 4 });
    expect(zone.blocks[1]).toEqual({ ...block('B'), targetZone: 4 });
    const bpm = setBlockTarget(zone, 1, { kind: 'bpm', min: 130, max: 150 });
    expect(bpm.blocks[1]).toEqual({ ...block('B'), targetBpm: { min: 130, max: 150 } });
    expect(parsePlan(bpm).ok).toBe(true);
    const none = setBlockTarget(bpm, 1, null);
    expect(none.blocks[1]).toEqual(block('B'));
    expect('targetBpm' in none.blocks[1]!).toBe(false);
    const plan = base();
    expect(setBlockTarget(plan, 7, null)).toBe(plan);
  });
});
