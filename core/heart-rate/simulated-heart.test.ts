import { describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from './encode-measurement';
import { parseHeartRateMeasurement } from './parse-measurement';
import { mulberry32 } from './prng';
import {
  createSimulatedGroup,
  createSimulatedHeart,
  simulateSession,
  type SimulatedNotification,
} from './simulated-heart';
import type { SimulatedPerson } from './simulated-person';

const athlete: SimulatedPerson = {
  id: 'test',
  restingBpm: 60,
  maxBpm: 190,
  tauOnS: 30,
  tauOffS: 60,
  restRmssdMs: 40,
  wanderBpm: 1.5,
};

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function rmssd(rrMs: number[]): number {
  const diffs = rrMs.slice(1).map((rr, i) => (rr - rrMs[i]!) ** 2);
  return Math.sqrt(mean(diffs));
}

function rrMsBetween(session: SimulatedNotification[], from: number, to: number): number[] {
  return session.filter((n) => n.at > from && n.at <= to).flatMap((n) => n.measurement.rr1024.map((rr) => rr / 1.024));
}

/** Seconds after `stepAt` until the 5-s centred average of bpm has gone 63.2 % of the way. */
function timeConstantS(session: SimulatedNotification[], stepAt: number, from: number, to: number): number {
  const bpm = session.map((n) => n.measurement.bpm);
  const threshold = from + 0.632 * (to - from);
  const start = session.findIndex((n) => n.at > stepAt);
  for (let i = start; i < session.length; i++) {
    const smooth = mean(bpm.slice(Math.max(0, i - 2), i + 3));
    if (to > from ? smooth >= threshold : smooth <= threshold) return (session[i]!.at - stepAt) / 1000;
  }
  return Number.POSITIVE_INFINITY;
}

// Rest 3 min, work at 70 % of heart-rate reserve for 5 min, recover 7 min.
const plan = [
  { at: 0, intensity: 0 },
  { at: 180_000, intensity: 0.7 },
  { at: 480_000, intensity: 0 },
];
const workBpm = athlete.restingBpm + 0.7 * (athlete.maxBpm - athlete.restingBpm); // 151

function session(seed: number) {
  return simulateSession(createSimulatedHeart({ person: athlete, random: mulberry32(seed) }), plan, 900_000);
}

describe('simulated heart', () => {
  it('notifies at 1 Hz and keeps the rate physiological', () => {
    const s = session(1);
    expect(s).toHaveLength(900);
    expect(s[0]!.at).toBe(1_000);
    for (const n of s) {
      expect(n.measurement.bpm).toBeGreaterThanOrEqual(athlete.restingBpm - 12);
      expect(n.measurement.bpm).toBeLessThanOrEqual(athlete.maxBpm + 5);
      expect(n.measurement.rr1024.length).toBeLessThanOrEqual(4);
    }
  });

  it('rises on work with the on time constant and falls on rest with the recovery one', () => {
    for (const seed of [1, 2, 3]) {
      const s = session(seed);
      const rest = mean(s.filter((n) => n.at > 60_000 && n.at <= 180_000).map((n) => n.measurement.bpm));
      const work = mean(s.filter((n) => n.at > 400_000 && n.at <= 480_000).map((n) => n.measurement.bpm));
      const recovered = mean(s.filter((n) => n.at > 840_000).map((n) => n.measurement.bpm));
      expect(Math.abs(rest - athlete.restingBpm)).toBeLessThan(4);
      expect(Math.abs(work - workBpm)).toBeLessThan(5);
      expect(Math.abs(recovered - athlete.restingBpm)).toBeLessThan(5);

      const tauOn = timeConstantS(s, 180_000, rest, work);
      const tauOff = timeConstantS(s, 480_000, work, rest);
      expect(tauOn).toBeGreaterThan(athlete.tauOnS * 0.75);
      expect(tauOn).toBeLessThan(athlete.tauOnS * 1.3);
      expect(tauOff).toBeGreaterThan(athlete.tauOffS * 0.75);
      expect(tauOff).toBeLessThan(athlete.tauOffS * 1.3);
    }
  });

  it('sends RR intervals whose mean matches 60/bpm', () => {
    const s = session(4);
    for (const [from, to] of [
      [60_000, 180_000],
      [400_000, 480_000],
    ] as const) {
      const window = s.filter((n) => n.at > from && n.at <= to);
      const meanRrMs = mean(rrMsBetween(s, from, to));
      const meanBpm = mean(window.map((n) => n.measurement.bpm));
      expect(Math.abs(meanRrMs - 60_000 / meanBpm) / meanRrMs).toBeLessThan(0.02);
      // The beats a notification carries fill the second it covers.
      const beats = window.reduce((sum, n) => sum + n.measurement.rr1024.length, 0);
      expect(Math.abs(beats - (meanBpm * (to - from)) / 60_000)).toBeLessThan(2);
    }
  });

  it('has resting RMSSD of 20-60 ms, lower at a high rate', () => {
    const s = session(5);
    const atRest = rmssd(rrMsBetween(s, 30_000, 180_000));
    const atWork = rmssd(rrMsBetween(s, 380_000, 480_000));
    expect(atRest).toBeGreaterThan(20);
    expect(atRest).toBeLessThan(60);
    expect(atWork).toBeLessThan(atRest * 0.6);
  });

  it('replays a seed exactly and differs between seeds', () => {
    expect(session(7)).toEqual(session(7));
    expect(session(7)).not.toEqual(session(8));
  });

  it('drops notifications and loses contact in the windows given', () => {
    const heart = createSimulatedHeart({
      person: athlete,
      random: mulberry32(1),
      dropouts: [{ from: 10_000, to: 15_000 }],
      contactLoss: [{ from: 20_000, to: 23_000 }],
    });
    const s = simulateSession(heart, [{ at: 0, intensity: 0.3 }], 30_000);
    expect(s.map((n) => n.at).filter((at) => at >= 10_000 && at < 15_000)).toEqual([]);
    expect(s).toHaveLength(25);
    const off = s.filter((n) => n.at >= 20_000 && n.at < 23_000);
    expect(off.map((n) => n.measurement)).toEqual(
      Array.from({ length: 3 }, () => ({ bpm: 0, contact: 'not-detected', energyKj: null, rr1024: [] })),
    );
    expect(s.find((n) => n.at === 23_000)?.measurement.bpm).toBeGreaterThan(0);
  });

  it('reports contact loss on a strap without contact detection as 0 bpm only', () => {
    const heart = createSimulatedHeart({
      person: athlete,
      random: mulberry32(1),
      contact: 'unsupported',
      contactLoss: [{ from: 5_000, to: 6_000 }],
    });
    const s = simulateSession(heart, [], 8_000);
    expect(s.find((n) => n.at === 5_000)?.measurement).toEqual({ bpm: 0, contact: 'unsupported', energyKj: null, rr1024: [] });
  });

  it('loses single packets with the given probability', () => {
    const heart = createSimulatedHeart({ person: athlete, random: mulberry32(2), dropProbability: 0.1 });
    const s = simulateSession(heart, [], 600_000);
    expect(s.length).toBeGreaterThan(500);
    expect(s.length).toBeLessThan(580);
  });

  it('produces measurements that survive the wire format', () => {
    const heart = createSimulatedHeart({ person: athlete, random: mulberry32(3), contact: 'unsupported', startAt: 5_000 });
    const s = simulateSession(heart, plan, 600_000);
    expect(s[0]!.at).toBe(6_000);
    for (const { measurement } of s) {
      const bytes = encodeHeartRateMeasurement(measurement);
      expect(parseHeartRateMeasurement(new DataView(bytes.buffer))).toEqual(measurement);
    }
  });
});

describe('createSimulatedGroup', () => {
  it('makes N different, plausible, independent people, reproducibly', () => {
    const group = createSimulatedGroup(12, 99);
    expect(group).toHaveLength(12);
    expect(new Set(group.map((h) => h.person.id)).size).toBe(12);
    for (const { person } of group) {
      expect(person.restingBpm).toBeGreaterThanOrEqual(45);
      expect(person.restingBpm).toBeLessThanOrEqual(82);
      expect(person.maxBpm).toBeGreaterThanOrEqual(155);
      expect(person.maxBpm).toBeLessThanOrEqual(210);
      expect(person.tauOnS).toBeGreaterThanOrEqual(20);
      expect(person.tauOnS).toBeLessThanOrEqual(40);
      expect(person.tauOffS).toBeGreaterThan(person.tauOnS);
      expect(person.restRmssdMs).toBeGreaterThanOrEqual(20);
      expect(person.restRmssdMs).toBeLessThanOrEqual(60);
    }
    expect(new Set(group.map((h) => h.person.restingBpm)).size).toBeGreaterThan(5);

    const sessions = group.map((h) => simulateSession(h, plan, 60_000).map((n) => n.measurement.bpm));
    expect(new Set(sessions.map((s) => s.join())).size).toBe(12);
    const again = createSimulatedGroup(12, 99).map((h) => simulateSession(h, plan, 60_000).map((n) => n.measurement.bpm));
    expect(again).toEqual(sessions);
    expect(createSimulatedGroup(3, 100).map((h) => h.person)).not.toEqual(createSimulatedGroup(3, 99).map((h) => h.person));
  });
});
