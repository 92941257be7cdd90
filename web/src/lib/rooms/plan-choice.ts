/**
 * What the room plan picker chose: a preset with its rounds, or one of the coach's own saved
 * plans (synced with the account, storage/plans.ts). Either is a valid core Plan, which the
 * server checks again (PlanSchema bounds all blocks together to 500 rounds; a saved plan was
 * validated by the same schema when it was read).
 */
import { PRESETS, PLAN_LIMITS, type Plan, type PresetId } from '$core/workout';

export type PlanChoice = { kind: 'preset'; id: PresetId; rounds: number } | { kind: 'saved'; id: string };

export interface OwnPlan {
  id: string;
  name: string;
  plan: Plan;
}

export const PRESET_LABELS: Record<PresetId, string> = {
  tabata: 'Tabata 20/10',
  emom: 'EMOM 60 s',
  'sixty-sixty': '60/60',
  stopwatch: 'Stopwatch',
};
export const DEFAULT_ROUNDS: Record<PresetId, number> = { tabata: 8, emom: 10, 'sixty-sixty': 10, stopwatch: 0 };

/** Rounds typed by the coach, as a preset takes them: a whole number from 1 to the plan bound. */
export const clampRounds = (rounds: number) => Math.min(PLAN_LIMITS.maxTotalRounds, Math.max(1, Math.round(rounds) || 1));

/**
 * The plan a choice stands for; a saved plan no longer in `own` (deleted meanwhile, here or
 * on another device) falls back to `fallback`, so the picker never holds a plan the coach
 * cannot see.
 */
export function planForChoice(choice: PlanChoice, own: readonly OwnPlan[], fallback: () => Plan = () => PRESETS.tabata()): Plan {
  if (choice.kind === 'saved') return own.find((p) => p.id === choice.id)?.plan ?? fallback();
  return choice.id === 'stopwatch' ? PRESETS.stopwatch() : PRESETS[choice.id](clampRounds(choice.rounds));
}
