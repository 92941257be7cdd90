/**
 * The athlete profile that zones, calories and TRIMP depend on, and maximum heart rate.
 *
 * Age-predicted maximum heart rate:
 * - Tanaka: HRmax = 208 − 0.7 × age (Tanaka, Monahan & Seals 2001, "Age-predicted maximal heart
 *   rate revisited", J Am Coll Cardiol 37(1):153-156). The default: less biased with age.
 * - Fox: HRmax = 220 − age (Fox, Naughton & Haskell 1971, Ann Clin Res 3:404-432).
 * - measured: the athlete's own tested value, `maxHr`.
 */
import { z } from 'zod';

const bpm = z.number().int().min(25).max(250);

export const ProfileSchema = z
  .object({
    age: z.number().int().min(5).max(120),
    sex: z.enum(['male', 'female']),
    weightKg: z.number().min(20).max(400),
    restingHr: bpm,
    maxHr: bpm.optional(),
    maxHrMethod: z.enum(['measured', 'tanaka', 'fox']),
    zoneModel: z.enum(['percent-max', 'karvonen', 'custom']),
    /** Lower bounds (bpm) of zones 1-5, strictly increasing; required for the custom model. */
    customBounds: z.array(bpm).length(5).optional(),
  })
  .refine((p) => p.maxHrMethod !== 'measured' || p.maxHr !== undefined, {
    message: 'a measured maximum heart rate needs maxHr',
    path: ['maxHr'],
  })
  .refine((p) => p.zoneModel !== 'custom' || p.customBounds !== undefined, {
    message: 'custom zones need customBounds',
    path: ['customBounds'],
  })
  .refine((p) => p.customBounds === undefined || p.customBounds.every((b, i, all) => i === 0 || all[i - 1]! < b), {
    message: 'customBounds must be strictly increasing',
    path: ['customBounds'],
  });

export type Profile = z.infer<typeof ProfileSchema>;
export type Sex = Profile['sex'];

export function tanakaMaxHr(age: number): number {
  return 208 - 0.7 * age;
}

export function foxMaxHr(age: number): number {
  return 220 - age;
}

/** Maximum heart rate by the profile's method (bpm, possibly fractional for Tanaka). */
export function maxHrFor(profile: Profile): number {
  switch (profile.maxHrMethod) {
    case 'measured':
      return profile.maxHr ?? tanakaMaxHr(profile.age);
    case 'fox':
      return foxMaxHr(profile.age);
    case 'tanaka':
      return tanakaMaxHr(profile.age);
  }
}

/** Heart rate as a percentage of maximum, as the room display's tiles show it. */
export function percentOfMaxHr(bpmValue: number, maxHr: number): number {
  return (bpmValue / maxHr) * 100;
}
