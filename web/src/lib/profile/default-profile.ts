/**
 * The profile used until the athlete saves their own: middle-of-the-road values so zones and
 * estimates are plausible. Everything computed with it is flagged (`profileIsDefault`) and the
 * UI asks the athlete to fill in Settings.
 */
import type { Profile } from '$core/workout';

export const DEFAULT_PROFILE: Profile = {
  age: 35,
  sex: 'female',
  weightKg: 70,
  restingHr: 60,
  maxHrMethod: 'tanaka',
  zoneModel: 'percent-max',
};
