/**
 * What one display tile shows, from core's VisibleTile: heart rate, % of max HR and the zone
 * (by % HRmax, as the HRM Dashboard did: a measured max from a member's profile, else Tanaka
 * from age, else the app's default), calories, and whether the signal is stale.
 */
import type { VisibleTile } from '$core/rooms';
import { percentMaxZones, percentOfMaxHr, tanakaMaxHr, zoneFor, type Zone } from '$core/workout';
import { DEFAULT_MAX_HR } from '$lib/strap/zone-display';

export interface TileView {
  id: string;
  name: string;
  bpm: number | null;
  percentOfMax: number | null;
  zone: Zone | null;
  kcal: number | null;
  /** Effort points as the participant's phone worked them out (class-points.ts). */
  points: number | null;
  /** false: the participant opted out of rankings. */
  ranked: boolean;
  stale: boolean;
}

export function maxHrOf(p: { maxHr: number | null; age: number | null }): number {
  if (p.maxHr) return p.maxHr;
  return p.age ? tanakaMaxHr(p.age) : DEFAULT_MAX_HR;
}

export function tileView(tile: VisibleTile): TileView {
  const bpm = tile.hr?.bpm ?? null;
  const maxHr = maxHrOf(tile.participant);
  return {
    id: tile.participant.id,
    name: tile.participant.name,
    bpm,
    percentOfMax: bpm === null ? null : Math.round(percentOfMaxHr(bpm, maxHr)),
    zone: bpm === null ? null : zoneFor(bpm, percentMaxZones(maxHr)),
    kcal: tile.hr?.kcal ?? null,
    points: tile.hr?.points ?? null,
    ranked: tile.participant.ranked !== false,
    stale: tile.status === 'stale',
  };
}

/**
 * Columns for `count` tiles in a width × height box so that tiles are as large as possible at
 * about `aspect` (width / height): every column count is tried and the largest tile wins.
 */
export function gridColumns(count: number, width: number, height: number, aspect = 1.5): number {
  if (count <= 1 || width <= 0 || height <= 0) return 1;
  let best = 1;
  let bestArea = 0;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const w = Math.min(width / cols, (height / rows) * aspect);
    const area = w * (w / aspect);
    if (area > bestArea) [best, bestArea] = [cols, area];
  }
  return best;
}
