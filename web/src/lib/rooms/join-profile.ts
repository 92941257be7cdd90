/**
 * The profile a class recording is computed with: what the participant gave when joining (age,
 * sex, weight, resting HR, a measured maximum) over the member's own profile, or over the app's
 * default for what neither says. Stored with the recording (SessionRoom.profile) and synced in
 * its execution record as `class-join`, so every device shows the numbers the class used.
 */
import type { ParticipantView } from '$core/rooms';
import { ProfileSchema, type Profile } from '$core/workout';
import { DEFAULT_PROFILE } from '$lib/profile';

export function joinProfile(own: Profile | null, p: Pick<ParticipantView, 'age' | 'sex' | 'weightKg' | 'maxHr' | 'restingHr'>): Profile {
  const base = own ?? DEFAULT_PROFILE;
  const merged: Profile = {
    ...base,
    ...(p.age ? { age: p.age } : {}),
    ...(p.sex ? { sex: p.sex } : {}),
    ...(p.weightKg ? { weightKg: p.weightKg } : {}),
    ...(p.restingHr ? { restingHr: p.restingHr } : {}),
    ...(p.maxHr ? { maxHrMethod: 'measured' as const, maxHr: p.maxHr } : {}),
  };
  // A combination the profile rules refuse (e.g. custom zones below a new resting HR) keeps the base.
  return ProfileSchema.safeParse(merged).success ? merged : base;
}
