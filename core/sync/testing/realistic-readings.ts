/**
 * Deterministic generator of realistic 1 Hz heart-rate readings, for the codec's size test and
 * benchmark. Model (deliberately simple):
 * - HR: a random walk (±1 bpm per second) pulled towards the target of an interval workout:
 *   10 min warm-up to 130 bpm, then 3 min at 165 / 2 min at 120, the last 10 min cooling down
 *   to 95; clamped to 60–180 bpm.
 * - RR: beats are laid on a continuous timeline; each interval is 61440/bpm (1/1024 s units)
 *   with ±3 % uniform variability, and each reading carries the beats completed since the
 *   previous one, so 1–3 RR per reading with the right phase.
 * - Arrival jitter: optional, uniform in [0, jitterMs) on top of the 1 s grid, modelling the
 *   BLE connection interval (typically 30–50 ms on phones).
 * - Energy: cumulative kJ on every 10th reading (HRS 1.0 §3.1.1.3 suggests including it about
 *   once every 10 measurements); contact detected, with rare short gaps (bpm 0, no RR).
 */
import type { Reading } from '../sample-codec';

/** mulberry32: a tiny seeded PRNG, so runs are reproducible. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RealisticOptions {
  readonly count: number;
  readonly startT: number;
  readonly random: () => number;
  /** Arrival jitter in ms added to each 1 s tick; 0 for perfectly spaced readings. */
  readonly jitterMs?: number;
  /** Probability per reading of starting a 3–10 s contact loss. */
  readonly gapProbability?: number;
}

function targetBpm(second: number, total: number): number {
  const warmUp = 600;
  const coolDown = 600;
  if (second < warmUp) return 90 + (40 * second) / warmUp;
  if (second >= total - coolDown) return 95;
  return (second - warmUp) % 300 < 180 ? 165 : 120;
}

export function realisticReadings(options: RealisticOptions): Reading[] {
  const { count, startT, random, jitterMs = 0, gapProbability = 1 / 900 } = options;
  const readings: Reading[] = [];
  let bpm = 85 + random() * 10;
  let energyKj = 0;
  let gapLeft = 0;
  let nextBeatMs = startT; // when the next beat completes, on the sensor's clock
  for (let i = 0; i < count; i++) {
    const tickMs = startT + i * 1000;
    bpm += (targetBpm(i, count) - bpm) * 0.03 + (random() * 2 - 1);
    bpm = Math.min(180, Math.max(60, bpm));
    if (gapLeft === 0 && random() < gapProbability) gapLeft = 3 + Math.floor(random() * 8);
    const t = tickMs + Math.floor(random() * jitterMs);
    const rr1024: number[] = [];
    while (nextBeatMs <= tickMs) {
      const rr = Math.round((61_440 / bpm) * (1 + (random() * 2 - 1) * 0.03));
      nextBeatMs += (rr * 1000) / 1024;
      if (gapLeft === 0) rr1024.push(rr);
    }
    energyKj += (bpm * 0.1) / 60; // ~0.1 kJ per beat, a rough cycling-level expenditure
    const inGap = gapLeft > 0;
    if (inGap) gapLeft--;
    readings.push({
      t,
      bpm: inGap ? 0 : Math.round(bpm),
      rr1024,
      contact: inGap ? 'not-detected' : 'detected',
      energyKj: i % 10 === 9 ? Math.round(energyKj) : null,
    });
  }
  return readings;
}
