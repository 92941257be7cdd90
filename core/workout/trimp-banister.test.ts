import { describe, expect, it } from 'vitest';
import { banisterTrimp, hrReserveFraction, trimpPerMin } from './trimp-banister';

const tenMinutes = [{ from: 0, to: 600_000, bpm: 150 }];

describe('Banister TRIMP', () => {
  it('male, rest 60, max 190, HR 150 for 10 min', () => {
    // x = (150 − 60) / (190 − 60) = 90 / 130 = 0.692308
    // weighting 0.64 × e^(1.92 × 0.692308) = 0.64 × e^1.329231 = 0.64 × 3.778136 = 2.418007
    // TRIMP = 10 min × 0.692308 × 2.418007 = 16.7400
    const p = { sex: 'male' as const, restingHr: 60, maxHr: 190 };
    expect(hrReserveFraction(150, 60, 190)).toBeCloseTo(0.692308, 6);
    expect(trimpPerMin(150, p)).toBeCloseTo(1.674005, 6);
    expect(banisterTrimp(tenMinutes, p)).toBeCloseTo(16.74, 3);
  });

  it('female, rest 60, max 190, HR 150 for 10 min', () => {
    // weighting 0.86 × e^(1.67 × 0.692308) = 0.86 × e^1.156154 = 0.86 × 3.177688 = 2.732812
    // TRIMP = 10 × 0.692308 × 2.732812 = 18.9195
    expect(banisterTrimp(tenMinutes, { sex: 'female', restingHr: 60, maxHr: 190 })).toBeCloseTo(18.9195, 3);
  });

  it('clamps x to [0, 1]', () => {
    expect(hrReserveFraction(50, 60, 190)).toBe(0);
    expect(hrReserveFraction(200, 60, 190)).toBe(1);
    // at max: 1 × 0.64 × e^1.92 = 0.64 × 6.820958 = 4.365413 per minute
    expect(trimpPerMin(200, { sex: 'male', restingHr: 60, maxHr: 190 })).toBeCloseTo(4.365413, 5);
  });
});
