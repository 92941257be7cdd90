import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import type { Reading } from './readings';
import { summarizeWorkout } from './summary';

const T0 = 1_700_000_000_000;
// Male, 30 y, 75 kg, resting 60, Fox HRmax 220 − 30 = 190; % HRmax zones: 95, 114, 133, 152, 171.
const profile: Profile = { age: 30, sex: 'male', weightKg: 75, restingHr: 60, maxHrMethod: 'fox', zoneModel: 'percent-max' };

/**
 * 11 minutes of readings, one a second: 0-299 s at 150 bpm, 300-359 s contact lost (the strap
 * still says 150: must not count), 360-659 s at 150 bpm. RR alternates 384 and 416 /1024 s
 * (375 and 406.25 ms, 8.3 % apart), so every successive difference is ±31.25 ms.
 */
function readings(): Reading[] {
  return Array.from({ length: 660 }, (_, s) => ({
    t: T0 + s * 1_000,
    bpm: 150,
    rr1024: [s % 2 === 0 ? 384 : 416],
    contact: s >= 300 && s < 360 ? 'not-detected' : 'detected',
  }));
}

describe('summarizeWorkout', () => {
  const summary = summarizeWorkout({ readings: readings(), spans: [], profile, startedAt: T0, endedAt: T0 + 660_000 });

  it('duration counts the whole workout; heart-rate time excludes the gap', () => {
    expect(summary.durationMs).toBe(660_000);
    expect(summary.heartRate).toEqual({ avgBpm: 150, maxBpm: 150, minBpm: 150, coveredMs: 600_000 });
  });

  it('time in zone: 150 bpm is zone 3 (133-152) for the 10 valid minutes', () => {
    expect(summary.timeInZoneMs).toEqual([0, 0, 0, 600_000, 0, 0]);
  });

  it('calories: Keytel male, 10 min at 150 → 144.596 kcal (worked in calories-keytel.test.ts)', () => {
    expect(summary.calories.kcal).toBeCloseTo(144.596, 3);
    expect(summary.calories).toMatchObject({ estimate: true, method: 'keytel-2005' });
  });

  it('TRIMP: male, x = 90 / 130, 10 min → 16.740 (worked in trimp-banister.test.ts)', () => {
    expect(summary.trimp.value).toBeCloseTo(16.74, 3);
  });

  it('RMSSD: 299 + 299 pairs of ±31.25 ms, none across the gap', () => {
    expect(summary.hrv).toEqual({ rmssdMs: 31.25, pairs: 598, accepted: 600, rejected: 0 });
  });

  it('ignores readings outside the workout window and tolerates unsorted input', () => {
    const extra: Reading[] = [{ t: T0 + 700_000, bpm: 190, rr1024: [], contact: 'detected' }, ...readings().reverse()];
    const again = summarizeWorkout({ readings: extra, spans: [], profile, startedAt: T0, endedAt: T0 + 660_000 });
    expect(again.heartRate?.maxBpm).toBe(150);
    expect(again.calories.kcal).toBeCloseTo(144.596, 3);
  });

  it('an empty workout summarizes to zeros and nulls', () => {
    const empty = summarizeWorkout({ readings: [], spans: [], profile, startedAt: T0, endedAt: T0 });
    expect(empty).toEqual({
      durationMs: 0,
      heartRate: null,
      timeInZoneMs: [0, 0, 0, 0, 0, 0],
      calories: { kcal: 0, estimate: true, method: 'keytel-2005' },
      trimp: { value: 0, method: 'banister-1991' },
      hrv: null,
      intervals: [],
    });
  });
});
