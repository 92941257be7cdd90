/**
 * The settings form's fields (strings, as inputs give them) to and from a Profile. Validation is
 * core/workout's ProfileSchema; this only converts and names the fields the issues point at.
 * The weight is entered in the member's units (units.ts); the profile keeps kilograms.
 */
import { ProfileSchema, foxMaxHr, tanakaMaxHr, type Profile } from '$core/workout';
import { KG_PER_LB, displayWeight, weightToKg, type Units } from './units';

export interface ProfileForm {
  age: string;
  sex: '' | Profile['sex'];
  /** In `units`. */
  weight: string;
  units: Units;
  restingHr: string;
  maxHrMethod: Profile['maxHrMethod'];
  maxHr: string;
  zoneModel: Profile['zoneModel'];
  customBounds: [string, string, string, string, string];
}

export type ProfileFormErrors = Partial<Record<keyof ProfileForm, string>>;

export type ProfileFormResult = { ok: true; profile: Profile } | { ok: false; errors: ProfileFormErrors };

export function emptyProfileForm(units: Units = 'metric'): ProfileForm {
  return { age: '', sex: '', weight: '', units, restingHr: '', maxHrMethod: 'tanaka', maxHr: '', zoneModel: 'percent-max', customBounds: ['', '', '', '', ''] };
}

export function profileToForm(p: Profile, units: Units = 'metric'): ProfileForm {
  const bounds = p.customBounds?.map(String) ?? ['', '', '', '', ''];
  return {
    age: String(p.age),
    sex: p.sex,
    weight: String(displayWeight(p.weightKg, units)),
    units,
    restingHr: String(p.restingHr),
    maxHrMethod: p.maxHrMethod,
    maxHr: p.maxHr === undefined ? '' : String(p.maxHr),
    zoneModel: p.zoneModel,
    customBounds: [bounds[0] ?? '', bounds[1] ?? '', bounds[2] ?? '', bounds[3] ?? '', bounds[4] ?? ''],
  };
}

/** Inputs bound to `type=number` give numbers (null when empty); typed text gives strings. */
function num(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
}

const WEIGHT_MESSAGES: Record<Units, string> = {
  metric: 'Enter your weight in kg (20–400).',
  imperial: `Enter your weight in lb (${Math.ceil(20 / KG_PER_LB)}–${Math.floor(400 / KG_PER_LB)}).`,
};

const MESSAGES: Partial<Record<keyof ProfileForm, string>> = {
  age: 'Enter your age in whole years (5–120).',
  sex: 'Choose the sex the calorie and TRIMP formulas should use.',
  restingHr: 'Enter your resting heart rate in bpm (25–250).',
  maxHr: 'Enter your measured maximum heart rate in bpm (25–250).',
  customBounds: 'Enter five whole-number lower bounds in bpm, each higher than the one before.',
};

/** `previous` is the saved profile: an unchanged weight keeps its exact kilograms. */
export function formToProfile(form: ProfileForm, previous?: Profile | null): ProfileFormResult {
  const maxHr = num(form.maxHr);
  const weight = num(form.weight);
  const candidate = {
    age: num(form.age),
    sex: form.sex === '' ? undefined : form.sex,
    weightKg: weight === undefined || Number.isNaN(weight) ? weight : weightToKg(weight, form.units, previous?.weightKg),
    restingHr: num(form.restingHr),
    maxHrMethod: form.maxHrMethod,
    ...(maxHr === undefined ? {} : { maxHr }),
    zoneModel: form.zoneModel,
    ...(form.zoneModel === 'custom' ? { customBounds: form.customBounds.map(num) } : {}),
  };
  const parsed = ProfileSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, profile: parsed.data };
  const errors: ProfileFormErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path[0];
    if (path === 'weightKg') errors.weight ??= WEIGHT_MESSAGES[form.units];
    else {
      const field = path as keyof ProfileForm | undefined;
      if (field && !errors[field]) errors[field] = MESSAGES[field] ?? issue.message;
    }
  }
  return { ok: false, errors };
}

/**
 * The form after the member switched units: a weight typed so far is shown converted (an
 * unchanged saved weight converts from its exact kilograms); text that is not a number stays.
 */
export function convertFormUnits(form: ProfileForm, units: Units, previous?: Profile | null): ProfileForm {
  if (units === form.units) return form;
  const weight = num(form.weight);
  if (weight === undefined || Number.isNaN(weight)) return { ...form, units };
  const kg = weightToKg(weight, form.units, previous?.weightKg);
  return { ...form, units, weight: String(displayWeight(kg, units)) };
}

/** What the max-HR methods give for an age, for the form's hints. */
export function predictedMaxHr(age: number): { tanaka: number; fox: number } {
  return { tanaka: Math.round(tanakaMaxHr(age)), fox: foxMaxHr(age) };
}
