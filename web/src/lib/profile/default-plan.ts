/**
 * The member's default plan (a personal setting, synced: docs/sync-protocol.md §8): a preset's
 * id or a saved plan's id. The workout screen offers it first, so a workout starts with one tap
 * without choosing. A saved plan deleted (or not pulled yet) resolves to nothing rather than
 * to some other plan.
 */
import { PRESETS, type Plan, type PresetId } from '$core/workout';

/** What the pickers call the presets. */
export const PRESET_NAMES: Record<PresetId, string> = { tabata: 'Tabata', emom: 'EMOM', 'sixty-sixty': '60/60', stopwatch: 'Stopwatch' };

export const isPresetId = (id: string): id is PresetId => Object.hasOwn(PRESETS, id);

export interface SavedPlanLike {
  id: string;
  name: string;
  plan: Plan;
}

export interface DefaultPlan {
  id: string;
  kind: 'preset' | 'saved';
  name: string;
  plan: Plan;
}

/** The plan `id` names among the presets and `saved`, or null (none chosen, or no longer here). */
export function resolveDefaultPlan(id: string | null, saved: readonly SavedPlanLike[]): DefaultPlan | null {
  if (id === null) return null;
  if (isPresetId(id)) return { id, kind: 'preset', name: PRESET_NAMES[id], plan: PRESETS[id]() };
  const row = saved.find((r) => r.id === id);
  return row ? { id, kind: 'saved', name: row.name, plan: row.plan } : null;
}

/** The choices a default-plan picker lists: the presets, then the saved plans. */
export function defaultPlanOptions(saved: readonly SavedPlanLike[]): Array<{ id: string; label: string }> {
  return [
    ...(Object.keys(PRESET_NAMES) as PresetId[]).map((id) => ({ id, label: PRESET_NAMES[id] })),
    ...saved.map((r) => ({ id: r.id, label: r.name })),
  ];
}
