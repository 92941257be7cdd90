import { describe, expect, it } from 'vitest';
import type { Profile } from '../workout';
import { changedValues, planFromValues, planValues, profileFromValues, profileValues, settingsFromValues, DEFAULT_PERSONAL_SETTINGS } from './doc-values';

const custom: Profile = { age: 40, sex: 'male', weightKg: 80.5, restingHr: 55, maxHr: 184, maxHrMethod: 'measured', zoneModel: 'custom', customBounds: [100, 120, 140, 160, 175] };

describe('document values', () => {
  it('a profile round-trips through its registers, coupled values as one register each', () => {
    expect(profileValues(custom).maxHr).toEqual({ method: 'measured', measured: 184 });
    expect(profileValues(custom).zones).toEqual({ model: 'custom', customBounds: [100, 120, 140, 160, 175] });
    expect(profileFromValues({ ...profileValues(custom) })).toEqual(custom);
    const plain: Profile = { age: 30, sex: 'female', weightKg: 60, restingHr: 60, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };
    expect(profileFromValues({ ...profileValues(plain) })).toEqual(plain);
  });

  it('an incomplete or invalid set of registers is no profile', () => {
    const { age: _age, ...noAge } = profileValues(custom);
    expect(profileFromValues(noAge)).toBeNull();
    expect(profileFromValues({ ...profileValues(custom), maxHr: { method: 'measured', measured: null } })).toBeNull();
  });

  it('only changed registers are an edit', () => {
    const known = { ...profileValues(custom) };
    expect(changedValues(known, { ...profileValues({ ...custom, weightKg: 79 }) })).toEqual({ weightKg: 79 });
    expect(changedValues({}, { age: 40 })).toEqual({ age: 40 });
    expect(changedValues(known, known)).toEqual({});
  });

  it('a plan keeps its name in its own register; settings fall back per register', () => {
    const plan = { v: 1 as const, mode: 'stopwatch' as const, name: 'Run' };
    expect(planValues(plan).body.name).toBe('-');
    expect(planFromValues({ ...planValues(plan), name: 'Renamed' })).toEqual({ ...plan, name: 'Renamed' });
    expect(planFromValues({ name: 'x' })).toBeNull();
    expect(settingsFromValues({ units: 'imperial' })).toEqual({ ...DEFAULT_PERSONAL_SETTINGS, units: 'imperial' });
  });
});
