import { describe, expect, it } from 'vitest';
import { emptyProfileForm, formToProfile, profileToForm } from './profile-form';

describe('profile form', () => {
  it('turns valid fields (strings or numbers from number inputs) into a Profile and back', () => {
    const form = { ...emptyProfileForm(), age: '40', sex: 'male' as const, weightKg: '80,5', restingHr: '58', zoneModel: 'karvonen' as const };
    const result = formToProfile({ ...form, age: 40 as unknown as string });
    expect(result).toEqual({ ok: true, profile: { age: 40, sex: 'male', weightKg: 80.5, restingHr: 58, maxHrMethod: 'tanaka', zoneModel: 'karvonen' } });
    if (result.ok) expect(formToProfile(profileToForm(result.profile))).toEqual(result);
  });

  it('names the fields that fail ProfileSchema', () => {
    const result = formToProfile({ ...emptyProfileForm(), age: '3', sex: '', weightKg: '70', restingHr: '60', maxHrMethod: 'measured', zoneModel: 'custom', customBounds: ['100', '90', '', '', ''] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['age', 'customBounds', 'sex']);
    // Cross-field rules run once the fields themselves are valid.
    const measured = formToProfile({ ...emptyProfileForm(), age: '30', sex: 'female', weightKg: '60', restingHr: '55', maxHrMethod: 'measured' });
    expect(measured).toEqual({ ok: false, errors: { maxHr: expect.stringContaining('maximum') } });
  });
});
