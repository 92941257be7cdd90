import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyTileOrder, orderTiles, wantedOrder, type SortableTile, type TileOrder } from './tile-order';

const tile = (id: string, name: string, points: number | null, zone: number | null = null): SortableTile => ({ id, name, points, zone });
const HOLD = 5_000;

describe('wantedOrder', () => {
  const tiles = [tile('a', 'Cleo', 10, 3), tile('b', 'Ann', 30, 2), tile('c', 'Bea', 20, 3), tile('d', 'Dan', null, null)];
  it('by name A–Z, by zone (highest first, then points), by points (most first), no reading last', () => {
    expect(wantedOrder(tiles, 'name')).toEqual(['b', 'c', 'a', 'd']);
    expect(wantedOrder(tiles, 'zone')).toEqual(['c', 'a', 'b', 'd']);
    expect(wantedOrder(tiles, 'points')).toEqual(['b', 'c', 'a', 'd']);
  });
  it('never orders by the points of someone who opted out of rankings', () => {
    const withShy = [...tiles, { ...tile('e', 'Eve', 99, 5), ranked: false }];
    expect(wantedOrder(withShy, 'points')).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(wantedOrder(withShy, 'zone')).toEqual(['e', 'c', 'a', 'b', 'd']); // the zone is not a ranking
  });
});

describe('orderTiles', () => {
  it('sorts at once on a first call and on a change of mode', () => {
    const tiles = [tile('a', 'Cleo', 10), tile('b', 'Ann', 30)];
    const first = orderTiles(emptyTileOrder('points'), tiles, 'points', 0, HOLD);
    expect(first.ids).toEqual(['b', 'a']);
    expect(orderTiles(first, tiles, 'name', 1, HOLD).ids).toEqual(['b', 'a']);
    expect(orderTiles(orderTiles(first, tiles, 'name', 1, HOLD), tiles, 'points', 2, HOLD).ids).toEqual(['b', 'a']);
  });

  it('holds a tile that just moved, then lets it move again', () => {
    let order = orderTiles(emptyTileOrder('points'), [tile('a', 'A', 30), tile('b', 'B', 20), tile('c', 'C', 10)], 'points', 0, HOLD);
    expect(order.ids).toEqual(['a', 'b', 'c']);
    // c overtakes everyone: c and a trade places... every tile that moved is now held.
    order = orderTiles(order, [tile('a', 'A', 30), tile('b', 'B', 20), tile('c', 'C', 40)], 'points', 1_000, HOLD);
    expect(order.ids).toEqual(['c', 'a', 'b']);
    // b overtakes both a second later: held, nothing moves.
    const later = [tile('a', 'A', 30), tile('b', 'B', 50), tile('c', 'C', 40)];
    order = orderTiles(order, later, 'points', 2_000, HOLD);
    expect(order.ids).toEqual(['c', 'a', 'b']);
    // Once the hold is over the order catches up.
    order = orderTiles(order, later, 'points', 1_000 + HOLD, HOLD);
    expect(order.ids).toEqual(['b', 'c', 'a']);
  });

  it('keeps every tile once, and a newcomer and a leaver are handled', () => {
    let order = orderTiles(emptyTileOrder('zone'), [tile('a', 'A', 1, 2), tile('b', 'B', 1, 3)], 'zone', 0, HOLD);
    order = orderTiles(order, [tile('b', 'B', 1, 3), tile('c', 'C', 1, 5)], 'zone', 100, HOLD);
    expect([...order.ids].sort()).toEqual(['b', 'c']);
  });

  it('property: no tile moves more than once per hold, and a quiet class ends sorted', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: ids.length, maxLength: ids.length }), { minLength: 1, maxLength: 40 }), (steps) => {
        let order: TileOrder = emptyTileOrder('points');
        const moves = new Map<string, number[]>();
        let now = 0;
        let tiles: SortableTile[] = [];
        for (const points of steps) {
          tiles = ids.map((id, i) => tile(id, id, points[i]!));
          const before = order.ids;
          order = orderTiles(order, tiles, 'points', now, HOLD);
          expect([...order.ids].sort()).toEqual(ids);
          order.ids.forEach((id, i) => {
            if (before.length && before.indexOf(id) !== i) moves.set(id, [...(moves.get(id) ?? []), now]);
          });
          now += 1_000;
        }
        for (const times of moves.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(HOLD);
        // With the points frozen, two holds later the screen shows the wanted order.
        for (const t of [now, now + HOLD, now + 2 * HOLD]) order = orderTiles(order, tiles, 'points', t, HOLD);
        expect(order.ids).toEqual(wantedOrder(tiles, 'points'));
      }),
    );
  });
});
