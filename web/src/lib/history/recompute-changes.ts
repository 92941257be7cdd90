/**
 * What "recompute with my current profile" would change, as the member reads it: the profile
 * values that differ, then each figure whose shown text differs (calories, TRIMP, time in each
 * zone). Formatted with lib/figures, so "no change" means no change on screen.
 */
import { maxHrFor, type Profile, type WorkoutSummary } from '$core/workout';
import { formatDuration, formatKcal, formatTrimp } from '$lib/figures';

export interface FigureChange {
  id: string;
  label: string;
  before: string;
  after: string;
}

const ZONE_NAMES = ['Rest', 'Zone 1', 'Zone 2', 'Zone 3', 'Zone 4', 'Zone 5'];

function profileLines(p: Profile): Array<[string, string, string]> {
  return [
    ['age', 'Age', String(p.age)],
    ['sex', 'Sex', p.sex],
    ['weight', 'Weight', `${p.weightKg} kg`],
    ['resting', 'Resting HR', `${p.restingHr} bpm`],
    ['maxhr', 'Max HR', `${Math.round(maxHrFor(p))} bpm`],
    ['zones', 'Zone model', p.zoneModel === 'custom' ? `custom (${p.customBounds?.join(', ')})` : p.zoneModel],
  ];
}

function figureLines(s: WorkoutSummary): Array<[string, string, string]> {
  return [
    ['calories', 'Calories', `${formatKcal(s.calories.kcal)} kcal`],
    ['trimp', 'TRIMP', formatTrimp(s.trimp.value)],
    ...s.timeInZoneMs.map((ms, i): [string, string, string] => [`zone-${i}`, ZONE_NAMES[i] ?? `Zone ${i}`, formatDuration(ms)]),
  ];
}

function diff(before: Array<[string, string, string]>, after: Array<[string, string, string]>): FigureChange[] {
  const out: FigureChange[] = [];
  for (const [id, label, was] of before) {
    const now = after.find(([i]) => i === id)?.[2] ?? '–';
    if (now !== was) out.push({ id, label, before: was, after: now });
  }
  return out;
}

export function recomputeChanges(before: { profile: Profile; summary: WorkoutSummary }, after: { profile: Profile; summary: WorkoutSummary }): FigureChange[] {
  return [...diff(profileLines(before.profile), profileLines(after.profile)), ...diff(figureLines(before.summary), figureLines(after.summary))];
}
