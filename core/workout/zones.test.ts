import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import { customZones, karvonenZones, percentMaxZones, zoneFor, zonesFor } from './zones';

const bounds = (zones: ReturnType<typeof percentMaxZones>) => zones.map((z) => [z.minBpm, z.maxBpm].map((b) => Math.round(b * 1e9) / 1e9));

describe('zones', () => {
  it('% HRmax: 50/60/70/80/90/100 % of 180', () => {
    // 0.5 × 180 = 90, 0.6 × 180 = 108, 0.7 × 180 = 126, 0.8 × 180 = 144, 0.9 × 180 = 162, 180
    expect(bounds(percentMaxZones(180))).toEqual([
      [90, 108],
      [108, 126],
      [126, 144],
      [144, 162],
      [162, 180],
    ]);
  });

  it('Karvonen: rest + p × (max − rest)', () => {
    // rest 60, max 180 → HRR 120: 60 + 0.5 × 120 = 120, 60 + 72 = 132, 60 + 84 = 144, 60 + 96 = 156, 60 + 108 = 168, 180
    expect(bounds(karvonenZones(60, 180))).toEqual([
      [120, 132],
      [132, 144],
      [144, 156],
      [156, 168],
      [168, 180],
    ]);
  });

  it('custom bounds; zone 5 ends at max HR', () => {
    expect(bounds(customZones([100, 125, 140, 155, 170], 185))).toEqual([
      [100, 125],
      [125, 140],
      [140, 155],
      [155, 170],
      [170, 185],
    ]);
  });

  it('every zone has a number, a name and a colour token', () => {
    expect(percentMaxZones(180).map((z) => [z.number, z.name, z.colorToken])).toEqual([
      [1, 'Warm-up / Recovery', 'zone-1'],
      [2, 'Easy / Fat burn', 'zone-2'],
      [3, 'Aerobic', 'zone-3'],
      [4, 'Threshold', 'zone-4'],
      [5, 'Maximum', 'zone-5'],
    ]);
  });

  it.each([
    [0, 0],
    [89, 0],
    [90, 1],
    [107, 1],
    [108, 2],
    [143, 3],
    [144, 4],
    [179, 5],
    [210, 5],
  ])('zoneFor(%i) with HRmax 180 → zone %i', (bpm, zone) => {
    expect(zoneFor(bpm, percentMaxZones(180)).number).toBe(zone);
  });

  it('below zone 1 is zone 0, Rest', () => {
    expect(zoneFor(50, percentMaxZones(180))).toMatchObject({ number: 0, name: 'Rest', colorToken: 'zone-0', maxBpm: 90 });
  });

  it('zonesFor follows the profile model', () => {
    const p: Profile = { age: 40, sex: 'male', weightKg: 80, restingHr: 60, maxHrMethod: 'tanaka', zoneModel: 'karvonen' };
    expect(zonesFor(p)[0]!.minBpm).toBeCloseTo(120, 9);
    expect(zonesFor({ ...p, zoneModel: 'percent-max' })[0]!.minBpm).toBeCloseTo(90, 9);
    expect(zonesFor({ ...p, zoneModel: 'custom', customBounds: [1, 2, 3, 4, 5] })[4]!.minBpm).toBe(5);
  });
});
