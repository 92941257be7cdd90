/**
 * The settings form's fields (strings, as inputs give them) to and from a Profile. Validation is
 * core/workout's ProfileSchema; this only converts and names the fields the issues point at.
 */
import { ProfileSchema, foxMaxHr, tanakaMaxHr, type Profile } from '$core/workout';

export interface ProfileForm {
  age: string;
  sex: '' | Profile['sex'];
  weightKg: string;
  restingHr: string;
  maxHrMethod: Profile['maxHrMethod'];
  maxHr: string;
  zoneModel: Profile['zoneModel'];
  customBounds: [string, string, string, string, string];
}

export type ProfileFormErrors = Partial<Record<keyof ProfileForm, string>>;

export type ProfileFormResult = { ok: true; profile: Profile } | { ok: false; errors: ProfileFormErrors };

export function emptyProfileForm(): ProfileForm {
  return { age: '', sex: '', weightKg: '', restingHr: '', maxHrMethod: 'tanaka', maxHr: '', zoneModel: 'percent-max', customBounds: ['', '', '', '', ''] };
}

export function profileToForm(p: Profile): ProfileForm {
  const bounds = p.customBounds?.map(String) ?? ['', '', '', '', ''];
  return {
    age: String(p.age),
    sex: p.sex,
    weightKg: String(p.weightKg),
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

const MESSAGES: Partial<Record<keyof ProfileForm, string>> = {
  age: 'Enter your age in whole years (5–120).',
  sex: 'Choose the sex the calorie and TRIMP formulas should use.',
  weightKg: 'Enter your weight in kg (20–400).',
  restingHr: 'Enter your resting heart rate in bpm (25–250).',
  maxHr: 'Enter your measured maximum heart rate in bpm (25–250).',
  customBounds: 'Enter five whole-number lower bounds in bpm, each higher than the one before.',
};

export function formToProfile(form: ProfileForm): ProfileFormResult {
  const maxHr = num(form.maxHr);
  const candidate = {
    age: num(form.age),
    sex: form.sex === '' ? undefined : form.sex,
    weightKg: num(form.weightKg),
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
    const field = issue.path[0] as keyof ProfileForm | undefined;
    if (field && !errors[field]) errors[field] = MESSAGES[field] ?? issue.message;
  }
  return { ok: false, errors };
}

/** What the max-HR methods give for an age, for the form's hints. */
export function predictedMaxHr(age: number): { tanaka: number; fox: number } {
  return { tanaka: Math.round(tanakaMaxHr(age)), fox: foxMaxHr(age) };
}
