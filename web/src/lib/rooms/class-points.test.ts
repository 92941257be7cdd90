import { describe, expect, it } from 'vitest';
import { createTimer, startTimer, tabataPlan, type Reading } from '$core/workout';
import { classPoints, pointsProfileOf } from './class-points';

const reading = (t: number, bpm: number): Reading => ({ t, bpm, rr1024: [], contact: 'detected' });

describe('class points', () => {
  it('uses the join profile: measured max, else Tanaka from age; resting HR, else the default', () => {
    expect(pointsProfileOf({ maxHr: 184, age: 40, restingHr: 52 })).toEqual({ maxHr: 184, restingHr: 52 });
    expect(pointsProfileOf({ maxHr: null, age: 40, restingHr: null })).toEqual({ maxHr: 180, restingHr: 60 });
  });

  it('counts the room run on this phone’s clock: the same readings give the same points whatever the offset', () => {
    const plan = tabataPlan();
    const serverStart = 1_000_000;
    const started = startTimer(createTimer(plan), serverStart);
    if (!started.ok) throw new Error(started.code);
    const profile = { restingHr: 60, maxHr: 190 };
    for (const offsetMs of [0, 5_000, -120_000]) {
      const phoneStart = serverStart - offsetMs;
      const readings = Array.from({ length: 300 }, (_, i) => reading(phoneStart + i * 1000, 170));
      expect(classPoints(readings, profile, null, offsetMs, phoneStart + 100_000)).toBeUndefined();
      expect(classPoints(readings, profile, started.state, null, phoneStart + 100_000)).toBeUndefined();
      // 170 bpm is 84.6 % of reserve: 4 points a minute while the plan runs (4 min + get ready).
      const at = classPoints(readings, profile, started.state, offsetMs, phoneStart + 60_000);
      expect(at).toBe(4);
    }
  });
});
