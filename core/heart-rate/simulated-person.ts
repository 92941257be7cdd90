import { gaussian } from './prng';

/**
 * The parameters of one simulated athlete. Ranges are what the literature reports for healthy
 * adults, so that a class of simulated people looks like a real gym class on the dashboard.
 */
export interface SimulatedPerson {
  id: string;
  restingBpm: number;
  maxBpm: number;
  /** On-kinetics time constant, s: 20-40 s for a step to moderate work, shorter when fitter. */
  tauOnS: number;
  /** Recovery time constant, s: slower than the rise, about a minute after moderate work. */
  tauOffS: number;
  /**
   * RMSSD at rest, ms. Nunan, Sandercock & Brodie 2010 (systematic review of short-term HRV in
   * healthy adults) report 42 ± 15 ms; 20-60 ms covers most people.
   */
  restRmssdMs: number;
  /** Standard deviation of the slow wander of heart rate around its target, bpm. */
  wanderBpm: number;
}

/** Draws a person: fitter people rest lower, respond faster and have more vagal variability. */
export function randomPerson(random: () => number, id: string): SimulatedPerson {
  const age = 20 + random() * 40;
  const fitness = random();
  return {
    id,
    // Tanaka, Monahan & Seals 2001: HRmax = 208 - 0.7 * age, individual SD about 7-10 bpm.
    maxBpm: Math.round(208 - 0.7 * age + clamp(gaussian(random) * 5, -10, 10)),
    restingBpm: Math.round(74 - 22 * fitness + clamp(gaussian(random) * 3, -6, 6)),
    tauOnS: 36 - 14 * fitness,
    tauOffS: 72 - 14 * fitness,
    restRmssdMs: 22 + 34 * fitness,
    wanderBpm: 1.5,
  };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
