import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effortPoints, pointsForRun, pointsPerMinute, RECOVERY_MAX_SHARE, type PointsPhase, type PointsProfile } from './effort-points';
import type { Reading } from './readings';
import type { Plan } from './plan';
import { pauseTimer, resumeTimer, startTimer, type TimerResult } from './timer-engine';
import { createTimer } from './timer-state';

const reading = (t: number, bpm: number): Reading => ({ t, bpm, rr1024: [], contact: 'detected' });
/** One reading a second at `bpm(i)` from t0 for `seconds`. */
const steady = (t0: number, seconds: number, bpm: (i: number) => number) => Array.from({ length: seconds }, (_, i) => reading(t0 + i * 1000, bpm(i)));
const at = (p: PointsProfile, share: number) => p.restingHr + share * (p.maxHr - p.restingHr);

const profileArb = fc.record({ restingHr: fc.integer({ min: 35, max: 90 }), maxHr: fc.integer({ min: 150, max: 215 }) });

describe('effort points', () => {
  it('bands by heart-rate reserve: 0 to 4 points a minute', () => {
    const p = { restingHr: 60, maxHr: 190 }; // reserve 130
    expect([0.29, 0.3, 0.44, 0.45, 0.6, 0.75, 1.1].map((s) => pointsPerMinute(at(p, s), p))).toEqual([0, 1, 1, 2, 3, 4, 4]);
  });

  it('ten minutes at 80 % of reserve are 40 points; a strap silent for a minute earns nothing in it', () => {
    const p = { restingHr: 60, maxHr: 190 };
    const ten = steady(0, 600, () => at(p, 0.8));
    expect(effortPoints(ten, p, 600_000).total).toBe(40);
    const withDropout = ten.filter((r) => r.t < 120_000 || r.t >= 180_000);
    const r = effortPoints(withDropout, p, 600_000);
    expect(r.bandMs[4]).toBe(600_000 - 60_000 + 5_000 - 1_000); // the reading before the silence holds 5 s, not 1
    expect(r.total).toBe(36);
  });

  it('counts up to `until` only: a live screen at any moment shows what the result will say for that moment', () => {
    const p = { restingHr: 50, maxHr: 180 };
    const all = steady(0, 300, (i) => at(p, i < 150 ? 0.5 : 0.9));
    const mid = effortPoints(all.filter((r) => r.t < 150_000), p, 150_000);
    expect(mid).toEqual(effortPoints(all, p, 150_000));
    expect(mid.total).toBe(5); // 2.5 min × 2
  });

  it('property: more intensity never earns fewer points', () => {
    fc.assert(
      fc.property(profileArb, fc.integer({ min: 40, max: 220 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 30, max: 900 }), (p, bpm, more, seconds) => {
        const a = effortPoints(steady(0, seconds, () => bpm), p, seconds * 1000);
        const b = effortPoints(steady(0, seconds, () => bpm + more), p, seconds * 1000);
        expect(b.effortPointMs).toBeGreaterThanOrEqual(a.effortPointMs);
        expect(b.total).toBeGreaterThanOrEqual(a.total);
      }),
    );
  });

  it('property: the same share of reserve earns the same points, whatever the resting HR', () => {
    fc.assert(
      fc.property(profileArb, profileArb, fc.array(fc.double({ min: 0, max: 1.05, noNaN: true }), { minLength: 1, maxLength: 120 }), (p1, p2, shares) => {
        // Shares away from the band edges, where rounding of bpm could move a reading across.
        const safe = shares.map((s) => (Math.abs((s * 100) % 15) < 0.5 ? s + 0.01 : s));
        const r1 = effortPoints(steady(0, safe.length * 10, (i) => at(p1, safe[Math.floor(i / 10)]!)), p1, safe.length * 10_000);
        const r2 = effortPoints(steady(0, safe.length * 10, (i) => at(p2, safe[Math.floor(i / 10)]!)), p2, safe.length * 10_000);
        expect(r1.bandMs).toEqual(r2.bandMs);
        expect(r1.total).toBe(r2.total);
      }),
    );
  });

  it('recovery: a fall of 20 % of reserve in a rest earns the 1-point cap; the bonus never exceeds a quarter of effort or 1 per rest', () => {
    const p = { restingHr: 60, maxHr: 190 };
    const phases: PointsPhase[] = [];
    const readings: Reading[] = [];
    for (let round = 0; round < 8; round++) {
      const t0 = round * 30_000;
      phases.push({ kind: 'work', start: t0, end: t0 + 20_000 }, { kind: 'rest', start: t0 + 20_000, end: t0 + 30_000 });
      readings.push(...steady(t0, 20, () => at(p, 0.85)), ...steady(t0 + 20_000, 10, (i) => at(p, 0.85 - 0.025 * (i + 1))));
    }
    const withRests = effortPoints(readings, p, 240_000, phases);
    const without = effortPoints(readings, p, 240_000);
    expect(without.recovery).toBe(0);
    expect(withRests.effortPointMs).toBe(without.effortPointMs);
    const effort = without.effortPointMs / 60_000;
    expect(withRests.recovery).toBeCloseTo(Math.min(8 * 1, effort * RECOVERY_MAX_SHARE), 9);
    expect(withRests.total).toBe(Math.floor(effort + withRests.recovery));
  });

  it('property: the recovery bonus is bounded by a quarter of effort and by 1 per rest', () => {
    fc.assert(
      fc.property(
        profileArb,
        fc.array(fc.record({ work: fc.integer({ min: 60, max: 220 }), rest: fc.integer({ min: 40, max: 220 }) }), { minLength: 1, maxLength: 12 }),
        (p, rounds) => {
          const phases: PointsPhase[] = [];
          const readings: Reading[] = [];
          rounds.forEach((r, i) => {
            const t0 = i * 30_000;
            phases.push({ kind: 'work', start: t0, end: t0 + 20_000 }, { kind: 'rest', start: t0 + 20_000, end: t0 + 30_000 });
            readings.push(...steady(t0, 20, () => r.work), ...steady(t0 + 20_000, 10, () => r.rest));
          });
          const res = effortPoints(readings, p, rounds.length * 30_000, phases);
          expect(res.recovery).toBeGreaterThanOrEqual(0);
          expect(res.recovery).toBeLessThanOrEqual(rounds.length);
          expect(res.recovery).toBeLessThanOrEqual((res.effortPointMs / 60_000) * RECOVERY_MAX_SHARE + 1e-9);
        },
      ),
    );
  });

  it('refuses a profile whose maximum is not above its resting HR', () => {
    expect(() => effortPoints([], { restingHr: 80, maxHr: 80 }, 0)).toThrow(RangeError);
  });

  it('a run counts its phases only: a pause earns nothing, and the total stops with the timer', () => {
    const p = { restingHr: 60, maxHr: 190 };
    const plan: Plan = { v: 1, mode: 'intervals', name: 'Two minutes', prepareMs: 0, blocks: [{ name: 'Block', workMs: 120_000, restMs: 0, rounds: 1 }] };
    const ok = (r: TimerResult) => (r.ok ? r.state : expect.unreachable(r.code));
    let timer = ok(startTimer(createTimer(plan), 0));
    timer = ok(pauseTimer(timer, 60_000));
    timer = ok(resumeTimer(timer, 120_000)); // one minute paused
    const readings = steady(0, 300, () => at(p, 0.8));
    expect(pointsForRun(readings, p, createTimer(plan), 10_000)).toBeNull(); // not started
    expect(pointsForRun(readings, p, timer, 90_000)!.total).toBe(4); // 1 running minute × 4
    expect(pointsForRun(readings, p, timer, 180_000)!.total).toBe(8); // the plan ended at 180 s
    expect(pointsForRun(readings, p, timer, 300_000)!.total).toBe(8);
  });
});
