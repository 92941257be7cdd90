import { describe, expect, it } from 'vitest';
import { createTimer, startTimer, stopTimer, tabataPlan, type Reading, type TimerResult } from '../workout';
import { ClassResultSchema, classResult } from './class-result';

const reading = (t: number, bpm: number): Reading => ({ t, bpm, rr1024: [], contact: 'detected' });
const ok = (r: TimerResult) => {
  if (!r.ok) throw new Error(r.code);
  return r.state;
};

describe('class result', () => {
  it('covers the run only: points, bands, average and peak of the readings inside its phases', () => {
    const timer = ok(stopTimer(ok(startTimer(createTimer(tabataPlan(2)), 10_000)), 60_000)); // 50 s of a 55 s plan
    const profile = { restingHr: 60, maxHr: 190 };
    // Before the start at 100 bpm (ignored), during the run 150 then 170, after the stop 200 (ignored).
    const readings = [
      ...Array.from({ length: 10 }, (_, i) => reading(i * 1000, 100)),
      ...Array.from({ length: 30 }, (_, i) => reading(10_000 + i * 1000, 150)),
      ...Array.from({ length: 20 }, (_, i) => reading(40_000 + i * 1000, 170)),
      ...Array.from({ length: 10 }, (_, i) => reading(60_000 + i * 1000, 200)),
    ];
    const r = classResult(readings, profile, timer, 100_000, 123_456, 12.345)!;
    expect(ClassResultSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ runStartedAt: 123_456, avgBpm: 158, peakBpm: 170, kcal: 12.3, activeMs: 50_000 });
    // 150 bpm = 69 %HRR (3/min), 170 = 85 % (4/min): 1.5 + 1.33 = 2.83 → 2 (no fall in the rest: no bonus)
    expect(r.points).toBe(2);
    expect(r.bandMs).toEqual([0, 0, 0, 30_000, 20_000]);
  });

  it('is null before the run starts and refuses a malformed result', () => {
    expect(classResult([], { restingHr: 60, maxHr: 190 }, createTimer(tabataPlan()), 0, 0, null)).toBeNull();
    const bad = { runStartedAt: 1, points: -1, bandMs: [0, 0, 0, 0, 0], avgBpm: null, peakBpm: null, kcal: null, activeMs: 0 };
    expect(ClassResultSchema.safeParse(bad).success).toBe(false);
    expect(ClassResultSchema.safeParse({ ...bad, points: 1, extra: true }).success).toBe(false);
  });
});
