/**
 * Energy expenditure from heart rate, Keytel et al. 2005 ("Prediction of energy expenditure from
 * heart rate monitoring during submaximal exercise", J Sports Sci 23(3):289-297), the
 * sex-specific equations WITHOUT VO2max (HR in bpm, weight in kg, age in years):
 *   male:   EE (kJ/min) = −55.0969 + 0.6309 × HR + 0.1988 × weight + 0.2017 × age
 *   female: EE (kJ/min) = −20.4022 + 0.4472 × HR − 0.1263 × weight + 0.074 × age
 * converted with 1 kcal = 4.184 kJ. It was fitted on exercise heart rates; at low heart rates it
 * goes negative, which we clamp to 0. The result is an estimate and must be labelled as one.
 */
import type { HeldSegment } from './readings';
import type { Sex } from './profile';

export const KJ_PER_KCAL = 4.184;

export interface KeytelInput {
  sex: Sex;
  weightKg: number;
  age: number;
}

/** Energy expenditure in kJ/min at heart rate `bpm`, clamped at 0. */
export function keytelKjPerMin(bpm: number, p: KeytelInput): number {
  const kj =
    p.sex === 'male'
      ? -55.0969 + 0.6309 * bpm + 0.1988 * p.weightKg + 0.2017 * p.age
      : -20.4022 + 0.4472 * bpm - 0.1263 * p.weightKg + 0.074 * p.age;
  return Math.max(0, kj);
}

/** Estimated kcal over held segments (gaps count nothing). */
export function keytelKcal(segments: readonly HeldSegment[], p: KeytelInput): number {
  let kj = 0;
  for (const s of segments) kj += keytelKjPerMin(s.bpm, p) * ((s.to - s.from) / 60_000);
  return kj / KJ_PER_KCAL;
}
