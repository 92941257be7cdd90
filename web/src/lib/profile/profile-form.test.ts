import { describe, expect, it } from 'vitest';
import type { Profile } from '$core/workout';
import { convertFormUnits, emptyProfileForm, formToProfile, profileToForm } from './profile-form';

describe('profile form', () => {
  it('turns valid fields (strings or numbers from number inputs) into a Profile and back', () => {
    const form = { ...emptyProfileForm(), age: '40', sex: 'male' as const, weight: '80,5', restingHr: '58', zoneModel: 'karvonen' as const };
    const result = formToProfile({ ...form, age: 40 as unknown as string });
    expect(result).toEqual({ ok: true, profile: { age: 40, sex: 'male', weightKg: 80.5, restingHr: 58, maxHrMethod: 'tanaka', zoneModel: 'karvonen' } });
    if (result.ok) expect(formToProfile(profileToForm(result.profile))).toEqual(result);
  });

  it('names the fields that fail ProfileSchema', () => {
    const result = formToProfile({ ...emptyProfileForm(), age: '3', sex: '', weight: '70', restingHr: '60', maxHrMethod: 'measured', zoneModel: 'custom', customBounds: ['100', '90', '', '', ''] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['age', 'customBounds', 'sex']);
    // Cross-field rules run once the fields themselves are valid.
    const measured = formToProfile({ ...emptyProfileForm(), age: '30', sex: 'female', weight: '60', restingHr: '55', maxHrMethod: 'measured' });
    expect(measured).toEqual({ ok: false, errors: { maxHr: expect.stringContaining('maximum') } });
  });

  it('enters the weight in pounds for imperial units; the profile keeps kilograms', () => {
    const saved: Profile = { age: 41, sex: 'male', weightKg: 80, restingHr: 52, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };
    const form = profileToForm(saved, 'imperial');
    expect(form.weight).toBe('176.4');
    // Saved again unchanged: still exactly 80 kg, so nothing changes to sync.
    expect(formToProfile(form, saved)).toEqual({ ok: true, profile: saved });
    expect(formToProfile({ ...form, weight: '200' }, saved)).toEqual({ ok: true, profile: { ...saved, weightKg: 90.72 } });
    expect(formToProfile({ ...form, weight: '20' }, saved)).toEqual({ ok: false, errors: { weight: 'Enter your weight in lb (45–881).' } });
  });

  it('converts a typed weight when the units change', () => {
    const saved: Profile = { age: 41, sex: 'male', weightKg: 80, restingHr: 52, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };
    const metric = profileToForm(saved);
    const imperial = convertFormUnits(metric, 'imperial', saved);
    expect(imperial).toEqual({ ...metric, units: 'imperial', weight: '176.4' });
    expect(convertFormUnits(imperial, 'metric', saved)).toEqual(metric);
    expect(convertFormUnits({ ...metric, weight: '' }, 'imperial')).toEqual({ ...metric, weight: '', units: 'imperial' });
    expect(convertFormUnits({ ...metric, weight: '100' }, 'imperial')).toMatchObject({ weight: '220.5' });
  });
});
