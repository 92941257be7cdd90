// The simulated phones' running effort points (scripts/simulate-class.ts) must equal
// core/workout effortPoints over the same readings, or the bench's points are not a phone's.
// In the unit project (tests/vitest.config.ts includes bench/support/**/*.test.ts); alone:
//   npx vitest run --config tests/vitest.config.ts --project unit bench/support/running-points.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effortPoints, type Reading } from '../../core/workout';
import { runningEffortPoints } from '../../scripts/simulate-class';

const reading = (t: number, bpm: number, contact: Reading['contact'] = 'detected'): Reading => ({ t, bpm, rr1024: [], contact });

describe('runningEffortPoints', () => {
  it('adds up held readings as effortPoints does, gaps and the 5 s hold included', () => {
    const profile = { restingHr: 60, maxHr: 180 };
    // 171 bpm = 92.5 %HRR: 4 points a minute; 60 bpm: 0; a 0-bpm reading is a gap.
    const readings = [reading(0, 171), reading(30_000, 171), reading(60_000, 0, 'not-detected'), reading(70_000, 171), reading(100_000, 60)];
    const running = runningEffortPoints(profile);
    readings.forEach((r) => running.add(r));
    // 0–30 s: 5 s held (the next reading is 30 s later) → 4 × 5 s; 30–35 s: 4 × 5 s; the gap
    // earns nothing; 70–75 s: 4 × 5 s → 60 s of 4 points a minute / 12 = 1 point.
    expect(effortPoints(readings, profile, 200_000).total).toBe(1);
    expect(running.total(200_000)).toBe(1);
  });

  it('equals effortPoints after every reading, for any readings in time order', () => {
    const step = fc.record({
      dt: fc.integer({ min: 0, max: 8_000 }),
      bpm: fc.integer({ min: 0, max: 220 }),
      contact: fc.constantFrom<Reading['contact']>('detected', 'not-detected', 'unsupported'),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 30, max: 90 }),
        fc.integer({ min: 150, max: 210 }),
        fc.integer({ min: 0, max: 10_000 }),
        (steps, restingHr, maxHr, after) => {
          const profile = { restingHr, maxHr };
          const running = runningEffortPoints(profile);
          const readings: Reading[] = [];
          let t = 1_700_000_000_000;
          for (const s of steps) {
            t += s.dt;
            const r = reading(t, s.bpm, s.contact);
            readings.push(r);
            running.add(r);
            expect(running.total(t)).toBe(effortPoints(readings, profile, t).total);
          }
          expect(running.total(t + after)).toBe(effortPoints(readings, profile, t + after).total);
        },
      ),
      { numRuns: 200 },
    );
  });
});
