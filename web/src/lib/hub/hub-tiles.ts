/**
 * The hub's local view of the straps it hears: one tile per strap key (`ant:4821`, `ble:<id>`),
 * ANT+ and Bluetooth alike. A tile is live until no data has come for HUB_STALE_MS, then stale;
 * it turns live again with its next reading, the others untouched. A Bluetooth strap whose link
 * is being re-established shows 'reconnecting', one the hub gave up on 'lost'.
 */
import { strapKind, type HubReading, type StrapKind } from './hub-reading';

export const HUB_STALE_MS = 5000;

export interface HubTile {
  key: string;
  kind: StrapKind;
  /** "Strap 4821" (the ANT device number printed on the strap) or the Bluetooth name. */
  label: string;
  /** ANT device number (low 16 bits of the key); null for Bluetooth. */
  deviceNumber: number | null;
  bpm: number | null;
  battery: number | null;
  rssi: number | null;
  lastRrMs: number | null;
  /** Receive time of the last reading; null before the first. */
  lastAt: number | null;
  readings: number;
}

export type TileState = 'live' | 'stale' | 'reconnecting' | 'lost';

/** What a Bluetooth link says of itself (the connection machine's state kind, simplified). */
export type LinkPhase = 'streaming' | 'reconnecting' | 'lost' | 'idle';

export function antDeviceNumber(key: string): number | null {
  if (strapKind(key) !== 'ant') return null;
  const n = Number(key.slice(4));
  return Number.isInteger(n) ? n & 0xffff : null;
}

export function emptyTile(key: string, label?: string): HubTile {
  const kind = strapKind(key) ?? 'ble';
  const deviceNumber = antDeviceNumber(key);
  return {
    key,
    kind,
    label: label ?? (deviceNumber !== null ? `Strap ${deviceNumber}` : 'Bluetooth strap'),
    deviceNumber,
    bpm: null,
    battery: null,
    rssi: null,
    lastRrMs: null,
    lastAt: null,
    readings: 0,
  };
}

export function applyReading(tiles: Map<string, HubTile>, r: HubReading): HubTile {
  const prev = tiles.get(r.strapKey) ?? emptyTile(r.strapKey);
  const tile: HubTile = {
    ...prev,
    bpm: r.bpm > 0 ? r.bpm : null,
    battery: r.battery ?? prev.battery,
    rssi: r.rssi ?? prev.rssi,
    lastRrMs: r.rrMs.at(-1) ?? prev.lastRrMs,
    lastAt: r.at,
    readings: prev.readings + 1,
  };
  tiles.set(r.strapKey, tile);
  return tile;
}

export function isStale(tile: Pick<HubTile, 'lastAt'>, now: number, staleMs = HUB_STALE_MS): boolean {
  return tile.lastAt === null || now - tile.lastAt >= staleMs;
}

export function tileState(tile: Pick<HubTile, 'lastAt'>, now: number, link?: LinkPhase, staleMs = HUB_STALE_MS): TileState {
  if (link === 'reconnecting') return 'reconnecting';
  if (link === 'lost') return 'lost';
  return isStale(tile, now, staleMs) ? 'stale' : 'live';
}

/**
 * Stable order, so tiles do not jump around as readings arrive: ANT straps by device number,
 * then Bluetooth straps by name, then key.
 */
export function orderedTiles(tiles: Iterable<HubTile>): HubTile[] {
  const rank = (t: HubTile) => (t.kind === 'ant' ? 0 : 1);
  return [...tiles].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.deviceNumber ?? 0) - (b.deviceNumber ?? 0) ||
      a.label.localeCompare(b.label) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
