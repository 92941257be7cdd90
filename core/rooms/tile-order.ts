/**
 * The order of the gym screen's tiles, in the mode the coach picks: `name` (stable, A–Z),
 * `zone` (highest zone first, then most points) or `points` (most first). Heart rates and points
 * change every second, so a plain sort would reshuffle the screen all the time and nobody could
 * find themselves. Hysteresis: a tile that moved keeps its place for `holdMs`; only tiles not held
 * take the free places, in the wanted order. So no tile moves more than once per `holdMs` (unless
 * the class shrinks under it: a place past the end has to go). A change of mode re-sorts at once:
 * that is the coach's deliberate reshuffle.
 */
export type TileSortMode = 'name' | 'zone' | 'points';
export const TILE_SORT_MODES: readonly TileSortMode[] = ['name', 'zone', 'points'];
export const DEFAULT_TILE_HOLD_MS = 5_000;

export interface SortableTile {
  id: string;
  name: string;
  zone: number | null;
  points: number | null;
  /** false: the participant opted out of rankings, so points never order their tile (by name after the ranked). */
  ranked?: boolean;
}

export interface TileOrder {
  mode: TileSortMode;
  ids: string[];
  /** When each tile last changed place (its server or screen time). */
  movedAt: Record<string, number>;
}

export const emptyTileOrder = (mode: TileSortMode): TileOrder => ({ mode, ids: [], movedAt: {} });

const byName = (a: SortableTile, b: SortableTile) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
const pts = (t: SortableTile) => (t.ranked === false ? -2 : (t.points ?? -1));
const COMPARE: Record<TileSortMode, (a: SortableTile, b: SortableTile) => number> = {
  name: byName,
  zone: (a, b) => (b.zone ?? -1) - (a.zone ?? -1) || pts(b) - pts(a) || byName(a, b),
  points: (a, b) => pts(b) - pts(a) || byName(a, b),
};

export function wantedOrder(tiles: readonly SortableTile[], mode: TileSortMode): string[] {
  return [...tiles].sort(COMPARE[mode]).map((t) => t.id);
}

export function orderTiles(prev: TileOrder, tiles: readonly SortableTile[], mode: TileSortMode, now: number, holdMs = DEFAULT_TILE_HOLD_MS): TileOrder {
  const wanted = wantedOrder(tiles, mode);
  if (mode !== prev.mode || mode === 'name') return { mode, ids: wanted, movedAt: mode === prev.mode ? prev.movedAt : {} };

  const slots: Array<string | null> = new Array(wanted.length).fill(null);
  const held = new Set<string>();
  prev.ids.forEach((id, i) => {
    const since = prev.movedAt[id];
    if (i < slots.length && wanted.includes(id) && since !== undefined && now - since < holdMs) {
      slots[i] = id;
      held.add(id);
    }
  });
  const free = wanted.filter((id) => !held.has(id));
  for (let i = 0; i < slots.length; i++) if (slots[i] === null) slots[i] = free.shift()!;

  const ids = slots as string[];
  const movedAt: Record<string, number> = {};
  const before = new Map(prev.ids.map((id, i) => [id, i]));
  for (const [i, id] of ids.entries()) {
    const was = before.get(id);
    movedAt[id] = was === undefined || was === i ? (prev.movedAt[id] ?? -Infinity) : now;
  }
  return { mode, ids, movedAt };
}
