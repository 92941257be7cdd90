import { describe, expect, it } from 'vitest';
import { displayWeight, formatWeight, KG_PER_LB, weightToKg, weightUnit } from './units';

describe('weights in the member units', () => {
  it('shows kilograms as stored and pounds to 0.1 lb', () => {
    expect(displayWeight(80, 'metric')).toBe(80);
    expect(displayWeight(80, 'imperial')).toBe(176.4);
    expect(formatWeight(80, 'imperial')).toBe('176.4 lb');
    expect(formatWeight(72.5, 'metric')).toBe('72.5 kg');
    expect(weightUnit('imperial')).toBe('lb');
    expect(weightUnit('metric')).toBe('kg');
  });

  it('converts an entry in pounds to kilograms, keeping a saved weight shown unchanged exact', () => {
    expect(weightToKg(80, 'metric')).toBe(80);
    expect(weightToKg(100, 'imperial')).toBe(45.36);
    // 176.4 lb alone is 80.01 kg; as the display of a saved 80 kg it stays 80 kg (no spurious edit).
    expect(weightToKg(176.4, 'imperial')).toBe(80.01);
    expect(weightToKg(176.4, 'imperial', 80)).toBe(80);
    expect(weightToKg(176.5, 'imperial', 80)).toBe(Math.round(176.5 * KG_PER_LB * 100) / 100);
  });

  it('round-trips every saved weight shown in pounds', () => {
    for (let kg = 20; kg <= 400; kg += 0.1) {
      const exact = Math.round(kg * 10) / 10;
      expect(weightToKg(displayWeight(exact, 'imperial'), 'imperial', exact)).toBe(exact);
      // Without the saved weight, the pounds shown come back within 0.05 lb (≈ 23 g).
      expect(Math.abs(weightToKg(displayWeight(exact, 'imperial'), 'imperial') - exact)).toBeLessThan(0.03);
    }
  });
});
