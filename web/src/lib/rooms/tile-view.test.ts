import { describe, expect, it } from 'vitest';
import type { VisibleTile } from '$core/rooms';
import { gridColumns, maxHrOf, tileView } from './tile-view';

const participant = { id: 'p00000000000001', name: 'Gail', age: 40, sex: 'female' as const, weightKg: 60, maxHr: null, member: false, joinedAt: 1 };

describe('tileView', () => {
  it('shows bpm, % of max (Tanaka from age), zone and calories', () => {
    const tile: VisibleTile = { participant, hr: { bpm: 144, kcal: 12.4, at: 5 }, seenAt: 5, status: 'live' };
    const v = tileView(tile);
    expect(maxHrOf(participant)).toBe(180);
    expect(v).toMatchObject({ bpm: 144, percentOfMax: 80, kcal: 12.4, stale: false });
    expect(v.zone?.number).toBe(4);
  });

  it('has no numbers before the first reading and marks stale tiles', () => {
    const v = tileView({ participant: { ...participant, maxHr: 190 }, hr: null, seenAt: 1, status: 'stale' });
    expect(v).toMatchObject({ bpm: null, percentOfMax: null, zone: null, stale: true });
  });
});

describe('gridColumns', () => {
  it('fills a landscape screen', () => {
    expect(gridColumns(1, 1920, 800)).toBe(1);
    expect(gridColumns(4, 1920, 800)).toBe(2);
    expect(gridColumns(40, 1920, 800)).toBe(8);
  });
});
