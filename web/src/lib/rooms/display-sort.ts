/**
 * The tile order this screen shows (core/rooms/tile-order.ts), kept in the screen's own storage.
 * It is the screen's choice, made on the screen: the coach's control page cannot set it yet (that
 * needs a room setting on the server, sent in the `room` message).
 */
import { TILE_SORT_MODES, type TileSortMode } from '$core/rooms';

const KEY = 'hrm.display.sort';

export function loadSortMode(store: Storage | null): TileSortMode {
  const v = store?.getItem(KEY);
  return (TILE_SORT_MODES as readonly string[]).includes(v ?? '') ? (v as TileSortMode) : 'name';
}

export function saveSortMode(store: Storage | null, mode: TileSortMode): void {
  store?.setItem(KEY, mode);
}
