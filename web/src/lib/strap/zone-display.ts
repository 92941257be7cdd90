/**
 * What the live view shows about zones until the athlete profile exists: zones by % of HRmax
 * with a default HRmax. 180 bpm is Tanaka's 208 − 0.7 × age at 40 (core/workout/profile.ts).
 */
import { percentOfMaxHr } from '$core/workout/profile';
import { percentMaxZones, zoneFor, type Zone } from '$core/workout/zones';

export const DEFAULT_MAX_HR = 180;

export interface ZoneDisplay {
  zone: Zone;
  percentOfMax: number;
}

export function zoneDisplay(bpm: number, maxHr: number = DEFAULT_MAX_HR, zones: readonly Zone[] = percentMaxZones(maxHr)): ZoneDisplay {
  return { zone: zoneFor(bpm, zones), percentOfMax: Math.round(percentOfMaxHr(bpm, maxHr)) };
}
