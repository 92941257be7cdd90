import { describe, expect, it } from 'vitest';
import { foxMaxHr, maxHrFor, percentOfMaxHr, ProfileSchema, tanakaMaxHr, type Profile } from './profile';

const profile: Profile = { age: 40, sex: 'female', weightKg: 62, restingHr: 55, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };

describe('maximum heart rate', () => {
  it('Tanaka: 208 − 0.7 × age', () => {
    // age 40: 208 − 0.7 × 40 = 208 − 28 = 180;  age 30: 208 − 21 = 187
    expect(tanakaMaxHr(40)).toBeCloseTo(180, 10);
    expect(tanakaMaxHr(30)).toBeCloseTo(187, 10);
  });

  it('Fox: 220 − age', () => {
    // age 30: 220 − 30 = 190
    expect(foxMaxHr(30)).toBe(190);
  });

  it('picks the profile method', () => {
    expect(maxHrFor(profile)).toBeCloseTo(180, 10);
    expect(maxHrFor({ ...profile, maxHrMethod: 'fox' })).toBe(180);
    expect(maxHrFor({ ...profile, age: 30, maxHrMethod: 'fox' })).toBe(190);
    expect(maxHrFor({ ...profile, maxHrMethod: 'measured', maxHr: 193 })).toBe(193);
  });

  it('percent of max for tiles', () => {
    // 144 / 180 = 0.8 → 80 %
    expect(percentOfMaxHr(144, 180)).toBeCloseTo(80, 10);
  });
});

describe('ProfileSchema', () => {
  it('accepts a valid profile', () => {
    expect(ProfileSchema.safeParse(profile).success).toBe(true);
    expect(ProfileSchema.safeParse({ ...profile, zoneModel: 'custom', customBounds: [100, 120, 140, 160, 175] }).success).toBe(true);
  });

  it.each([
    ['measured without maxHr', { ...profile, maxHrMethod: 'measured' }],
    ['custom without bounds', { ...profile, zoneModel: 'custom' }],
    ['bounds not increasing', { ...profile, zoneModel: 'custom', customBounds: [100, 120, 120, 160, 175] }],
    ['four bounds', { ...profile, zoneModel: 'custom', customBounds: [100, 120, 140, 160] }],
    ['unknown sex', { ...profile, sex: 'x' }],
    ['resting HR 0', { ...profile, restingHr: 0 }],
  ])('rejects %s', (_, input) => {
    expect(ProfileSchema.safeParse(input).success).toBe(false);
  });
});
