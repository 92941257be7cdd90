import { describe, expect, it } from 'vitest';
import { keytelKcal, keytelKjPerMin } from './calories-keytel';

const tenMinutes = [{ from: 0, to: 600_000, bpm: 150 }];

describe('Keytel 2005 energy expenditure (without VO2max)', () => {
  it('male, age 30, 75 kg, HR 150 for 10 min', () => {
    // EE = −55.0969 + 0.6309 × 150 + 0.1988 × 75 + 0.2017 × 30
    //    = −55.0969 + 94.635 + 14.91 + 6.051 = 60.4991 kJ/min
    // 10 min → 604.991 kJ; ÷ 4.184 kJ/kcal = 144.596 kcal
    const p = { sex: 'male' as const, age: 30, weightKg: 75 };
    expect(keytelKjPerMin(150, p)).toBeCloseTo(60.4991, 10);
    expect(keytelKcal(tenMinutes, p)).toBeCloseTo(144.596, 3);
  });

  it('female, age 30, 60 kg, HR 150 for 10 min', () => {
    // EE = −20.4022 + 0.4472 × 150 − 0.1263 × 60 + 0.074 × 30
    //    = −20.4022 + 67.08 − 7.578 + 2.22 = 41.3198 kJ/min
    // 10 min → 413.198 kJ; ÷ 4.184 = 98.757 kcal
    const p = { sex: 'female' as const, age: 30, weightKg: 60 };
    expect(keytelKjPerMin(150, p)).toBeCloseTo(41.3198, 10);
    expect(keytelKcal(tenMinutes, p)).toBeCloseTo(98.757, 3);
  });

  it('clamps the negative values of low heart rates to 0', () => {
    // male 30 y 75 kg at 50 bpm: −55.0969 + 31.545 + 14.91 + 6.051 = −2.5909 → 0
    expect(keytelKjPerMin(50, { sex: 'male', age: 30, weightKg: 75 })).toBe(0);
  });

  it('sums segments by their duration; nothing for no segments', () => {
    const p = { sex: 'male' as const, age: 30, weightKg: 75 };
    const split = [
      { from: 0, to: 300_000, bpm: 150 },
      { from: 400_000, to: 700_000, bpm: 150 },
    ];
    expect(keytelKcal(split, p)).toBeCloseTo(144.596, 3);
    expect(keytelKcal([], p)).toBe(0);
  });
});
