/**
 * The member's documents (doc.ts) to and from the app's own shapes: the core/workout Profile,
 * the personal settings and a saved Plan. Pure, shared by the PWA's storage and tests.
 *
 * The profile's coupled values travel as one register each (doc.ts): `maxHr` = method and
 * measured value, `zones` = model and custom bounds.
 */
import { PlanSchema, ProfileSchema, type Plan, type Profile } from '../workout';
import type { IsoWeekday } from '../history/progress';
import { canonicalJson } from './merge';

export interface ProfileValues {
  age: number;
  sex: Profile['sex'];
  weightKg: number;
  restingHr: number;
  maxHr: { method: Profile['maxHrMethod']; measured: number | null };
  zones: { model: Profile['zoneModel']; customBounds: number[] | null };
}

export function profileValues(p: Profile): ProfileValues {
  return {
    age: p.age,
    sex: p.sex,
    weightKg: p.weightKg,
    restingHr: p.restingHr,
    maxHr: { method: p.maxHrMethod, measured: p.maxHr ?? null },
    zones: { model: p.zoneModel, customBounds: p.customBounds ? [...p.customBounds] : null },
  };
}

/** The profile the registers describe, or null while one is missing or they do not validate. */
export function profileFromValues(v: Readonly<Record<string, unknown>>): Profile | null {
  const maxHr = v['maxHr'] as ProfileValues['maxHr'] | undefined;
  const zones = v['zones'] as ProfileValues['zones'] | undefined;
  if (!maxHr || !zones) return null;
  const parsed = ProfileSchema.safeParse({
    age: v['age'],
    sex: v['sex'],
    weightKg: v['weightKg'],
    restingHr: v['restingHr'],
    maxHrMethod: maxHr.method,
    ...(maxHr.measured === null ? {} : { maxHr: maxHr.measured }),
    zoneModel: zones.model,
    ...(zones.customBounds === null ? {} : { customBounds: zones.customBounds }),
  });
  return parsed.success ? parsed.data : null;
}

/** The settings that belong to the person (docs/sync-protocol.md §8). */
export interface PersonalSettings {
  cueMuted: boolean;
  cueVibrate: boolean;
  cueSpeech: boolean;
  units: 'metric' | 'imperial';
  /** A saved plan's id or a preset's id; null = none. */
  defaultPlan: string | null;
  /** First day of the week for history (ISO weekday, 1 = Monday … 7 = Sunday); null = the device locale's. */
  firstDayOfWeek: IsoWeekday | null;
}
export const DEFAULT_PERSONAL_SETTINGS: PersonalSettings = { cueMuted: false, cueVibrate: true, cueSpeech: true, units: 'metric', defaultPlan: null, firstDayOfWeek: null };

const isIsoWeekday = (v: unknown): v is IsoWeekday => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 7;

/** Known registers over the defaults. */
export function settingsFromValues(v: Readonly<Record<string, unknown>>, fallback: PersonalSettings = DEFAULT_PERSONAL_SETTINGS): PersonalSettings {
  return {
    cueMuted: typeof v['cueMuted'] === 'boolean' ? v['cueMuted'] : fallback.cueMuted,
    cueVibrate: typeof v['cueVibrate'] === 'boolean' ? v['cueVibrate'] : fallback.cueVibrate,
    cueSpeech: typeof v['cueSpeech'] === 'boolean' ? v['cueSpeech'] : fallback.cueSpeech,
    units: v['units'] === 'metric' || v['units'] === 'imperial' ? v['units'] : fallback.units,
    defaultPlan: typeof v['defaultPlan'] === 'string' || v['defaultPlan'] === null ? (v['defaultPlan'] as string | null) : fallback.defaultPlan,
    firstDayOfWeek: isIsoWeekday(v['firstDayOfWeek']) || v['firstDayOfWeek'] === null ? (v['firstDayOfWeek'] as IsoWeekday | null) : fallback.firstDayOfWeek,
  };
}

export interface PlanValues {
  name: string;
  body: Plan;
}

/**
 * The name is its own register, so a rename on one device and a phase edit on another both
 * survive: the body carries the structure under a fixed placeholder name (BODY_NAME).
 */
export const BODY_NAME = '-';
export const planValues = (plan: Plan): PlanValues => ({ name: plan.name, body: { ...plan, name: BODY_NAME } });

/** The plan the registers describe (the `name` register wins over the body's), or null. */
export function planFromValues(v: Readonly<Record<string, unknown>>): Plan | null {
  const parsed = PlanSchema.safeParse(v['body']);
  if (!parsed.success) return null;
  return typeof v['name'] === 'string' && v['name'] !== '' ? { ...parsed.data, name: v['name'] } : parsed.data;
}

/**
 * The registers whose value differs from what the document holds: an edit stamps only these,
 * so a field this device did not change cannot overwrite another device's newer edit of it.
 */
export function changedValues(known: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (v !== undefined && (!(k in known) || canonicalJson(known[k]) !== canonicalJson(v))) out[k] = v;
  return out;
}
