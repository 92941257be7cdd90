/**
 * Five heart-rate zones, from one of three models:
 * - percent-max: 50-60-70-80-90-100 % of HRmax.
 * - karvonen: the same percentages of heart-rate reserve, added to resting HR:
 *   target = HRrest + p × (HRmax − HRrest) (Karvonen, Kentala & Mustala 1957, Ann Med Exp Biol
 *   Fenn 35(3):307-315).
 * - custom: the athlete's own lower bounds for zones 1-5.
 * Each zone carries a number, a name and a colour token, so the UI never conveys a zone by colour
 * alone. Below zone 1 is zone 0, "Rest". Bounds are exact (possibly fractional) bpm; a zone is
 * [minBpm, maxBpm), and zone 5 also takes anything above HRmax.
 */
import { maxHrFor, type Profile } from './profile';

export type ZoneNumber = 0 | 1 | 2 | 3 | 4 | 5;

export interface Zone {
  number: ZoneNumber;
  name: string;
  /** Design token for the zone colour, e.g. `zone-3`. */
  colorToken: string;
  minBpm: number;
  /** Exclusive upper bound; for zone 5 this is HRmax, though readings above it are still zone 5. */
  maxBpm: number;
}

export const ZONE_NAMES: Record<ZoneNumber, string> = {
  0: 'Rest',
  1: 'Warm-up / Recovery',
  2: 'Easy / Fat burn',
  3: 'Aerobic',
  4: 'Threshold',
  5: 'Maximum',
};

/** Lower bounds of zones 1-5 and the top of zone 5, as fractions. */
export const ZONE_FRACTIONS = [0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

function zonesFromBounds(bounds: readonly number[]): Zone[] {
  return ([1, 2, 3, 4, 5] as const).map((n) => ({
    number: n,
    name: ZONE_NAMES[n],
    colorToken: `zone-${n}`,
    minBpm: bounds[n - 1]!,
    maxBpm: bounds[n]!,
  }));
}

export function percentMaxZones(maxHr: number): Zone[] {
  return zonesFromBounds(ZONE_FRACTIONS.map((f) => f * maxHr));
}

export function karvonenZones(restingHr: number, maxHr: number): Zone[] {
  return zonesFromBounds(ZONE_FRACTIONS.map((f) => restingHr + f * (maxHr - restingHr)));
}

/** `lowerBounds`: zone 1-5 lower bounds; zone 5 ends at `maxHr` (or its own bound if higher). */
export function customZones(lowerBounds: readonly number[], maxHr: number): Zone[] {
  const top = Math.max(maxHr, lowerBounds[4]! + 1);
  return zonesFromBounds([...lowerBounds.slice(0, 5), top]);
}

export function zonesFor(profile: Profile): Zone[] {
  const maxHr = maxHrFor(profile);
  switch (profile.zoneModel) {
    case 'percent-max':
      return percentMaxZones(maxHr);
    case 'karvonen':
      return karvonenZones(profile.restingHr, maxHr);
    case 'custom':
      return profile.customBounds ? customZones(profile.customBounds, maxHr) : percentMaxZones(maxHr);
  }
}

/** The zone 0 pseudo-zone for readings below zone 1. */
export function restZone(zones: readonly Zone[]): Zone {
  return { number: 0, name: ZONE_NAMES[0], colorToken: 'zone-0', minBpm: 0, maxBpm: zones[0]?.minBpm ?? 0 };
}

/** The zone a heart rate falls in; zone 0 "Rest" below zone 1. */
export function zoneFor(bpmValue: number, zones: readonly Zone[]): Zone {
  for (let i = zones.length - 1; i >= 0; i--) {
    if (bpmValue >= zones[i]!.minBpm) return zones[i]!;
  }
  return restZone(zones);
}
