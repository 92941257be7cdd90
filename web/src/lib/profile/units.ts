/**
 * Weights in the member's units (a personal setting, synced: docs/sync-protocol.md §8). The
 * profile always stores kilograms (the Keytel formula's unit); only entry and display convert.
 * Pounds are shown to 0.1 lb, and a weight shown in pounds and saved again unchanged keeps its
 * exact kilograms, so switching units never edits the profile (which would sync a change).
 */
import type { PersonalSettings } from '$core/sync';

export type Units = PersonalSettings['units'];

/** The international avoirdupois pound (1959): exactly 0.45359237 kg. */
export const KG_PER_LB = 0.45359237;

export const weightUnit = (units: Units): 'kg' | 'lb' => (units === 'imperial' ? 'lb' : 'kg');

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** The weight as the member reads it: kilograms as stored, pounds to 0.1 lb. */
export function displayWeight(kg: number, units: Units): number {
  return units === 'imperial' ? round(kg / KG_PER_LB, 1) : kg;
}

/**
 * Kilograms for a weight entered in `units`. `previousKg` is the saved weight: when the entry
 * is what it displays as, it is kept exactly (176.4 lb stays 80 kg, not 80.01 kg).
 */
export function weightToKg(value: number, units: Units, previousKg?: number): number {
  if (units === 'metric') return value;
  if (previousKg !== undefined && displayWeight(previousKg, units) === value) return previousKg;
  return round(value * KG_PER_LB, 2);
}

/** "80 kg", "176.4 lb". */
export function formatWeight(kg: number, units: Units): string {
  const n = displayWeight(kg, units);
  return `${units === 'imperial' ? n.toFixed(1) : String(n)} ${weightUnit(units)}`;
}
