/**
 * Banister's training impulse (Banister 1991, "Modeling elite athletic performance", in
 * MacDougall, Wenger & Green (eds.), Physiological Testing of the High-Performance Athlete,
 * pp. 403-424; weighting from Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69(3):1171-1177):
 *   TRIMP = Σ Δt(min) × x × k·e^(b·x),   x = (HR − HRrest) / (HRmax − HRrest)
 *   men: k = 0.64, b = 1.92;  women: k = 0.86, b = 1.67.
 * Summed over held segments, so it is exact for the recorded heart-rate curve rather than using
 * one session average. x is clamped to [0, 1] (a reading below rest adds no load).
 */
import type { HeldSegment } from './readings';
import type { Sex } from './profile';

export const BANISTER_WEIGHTING: Record<Sex, { k: number; b: number }> = {
  male: { k: 0.64, b: 1.92 },
  female: { k: 0.86, b: 1.67 },
};

export interface TrimpInput {
  sex: Sex;
  restingHr: number;
  maxHr: number;
}

/** Heart-rate reserve fraction x, clamped to [0, 1]. */
export function hrReserveFraction(bpm: number, restingHr: number, maxHr: number): number {
  const x = (bpm - restingHr) / (maxHr - restingHr);
  return Math.min(1, Math.max(0, x));
}

/** TRIMP accrued per minute at heart rate `bpm`. */
export function trimpPerMin(bpm: number, p: TrimpInput): number {
  const { k, b } = BANISTER_WEIGHTING[p.sex];
  const x = hrReserveFraction(bpm, p.restingHr, p.maxHr);
  return x * k * Math.exp(b * x);
}

export function banisterTrimp(segments: readonly HeldSegment[], p: TrimpInput): number {
  let trimp = 0;
  for (const s of segments) trimp += trimpPerMin(s.bpm, p) * ((s.to - s.from) / 60_000);
  return trimp;
}
