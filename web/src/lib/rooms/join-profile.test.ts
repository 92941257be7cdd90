import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '$lib/profile';
import { joinProfile } from './join-profile';

const none = { age: null, sex: null, weightKg: null, maxHr: null, restingHr: null };

describe('joinProfile', () => {
  it('puts what was given at join over the member’s profile, and a given maximum as measured', () => {
    const own = { ...DEFAULT_PROFILE, age: 50, sex: 'female' as const, weightKg: 70, restingHr: 58 };
    expect(joinProfile(own, { ...none, weightKg: 72, maxHr: 184 })).toEqual({ ...own, weightKg: 72, maxHrMethod: 'measured', maxHr: 184 });
    expect(joinProfile(own, none)).toEqual(own);
  });

  it('starts from the default profile for a guest', () => {
    expect(joinProfile(null, { ...none, age: 34, sex: 'male', restingHr: 49 })).toEqual({ ...DEFAULT_PROFILE, age: 34, sex: 'male', restingHr: 49 });
  });
});
