/**
 * The hub's local view of the straps it hears: one tile per strap, live until no data has come
 * for HUB_STALE_MS, then stale; it turns live again with its next reading, the others untouched.
 */
import type { AntHrReading } from './ant-usb';

export const HUB_STALE_MS = 5000;

export interface HubTile {
  key: number;
  deviceNumber: number;
  bpm: number | null;
  battery: number | null;
  rssi: number | null;
  lastRrMs: number | null;
  lastAt: number;
  readings: number;
}

export function applyReading(tiles: Map<number, HubTile>, r: AntHrReading): HubTile {
  const prev = tiles.get(r.key);
  const tile: HubTile = {
    key: r.key,
    deviceNumber: r.deviceNumber,
    bpm: r.bpm,
    battery: r.battery !== undefined ? r.battery : (prev?.battery ?? null),
    rssi: r.rssi ?? prev?.rssi ?? null,
    lastRrMs: r.rrMs.at(-1) ?? prev?.lastRrMs ?? null,
    lastAt: r.at,
    readings: (prev?.readings ?? 0) + 1,
  };
  tiles.set(r.key, tile);
  return tile;
}

export function isStale(tile: HubTile, now: number, staleMs = HUB_STALE_MS): boolean {
  return now - tile.lastAt >= staleMs;
}

/** Stable order: by device number, so tiles do not jump around as readings arrive. */
export function orderedTiles(tiles: Map<number, HubTile>): HubTile[] {
  return [...tiles.values()].sort((a, b) => a.deviceNumber - b.deviceNumber || a.key - b.key);
}
