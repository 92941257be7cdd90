import { describe, expect, it } from 'vitest';
import { classResults, tallyReading, type ClassTally, type Reading } from './screen-results';

const r = (id: string, at: number, bpm: number, zone: number | null, points: number | null = null): Reading => ({ id, name: id.toUpperCase(), bpm, zone, points, kcal: null, at });

describe('class results', () => {
  it('averages and peaks heart rate, credits time to the earlier zone, capped at the gap', () => {
    let t: ClassTally = {};
    for (const x of [r('a', 0, 100, 2), r('a', 1_000, 140, 4), r('a', 3_000, 120, 3), r('a', 60_000, 110, 2)]) t = tallyReading(t, x, 5_000);
    const row = classResults(t).rows[0]!;
    expect(row.avgBpm).toBe(118);
    expect(row.peakBpm).toBe(140);
    expect(row.zoneMs).toEqual([0, 0, 1_000, 5_000, 2_000, 0]);
  });

  it('ignores a reading older than the last one', () => {
    let t = tallyReading({}, r('a', 2_000, 100, 2));
    t = tallyReading(t, r('a', 1_000, 190, 5));
    expect(classResults(t).rows[0]!.peakBpm).toBe(100);
  });

  it('ranks by points, equal points share a rank, no points last; class averages', () => {
    let t: ClassTally = {};
    for (const x of [r('c', 0, 120, 3, 30), r('a', 0, 140, 4, 50), r('b', 0, 100, 2, 30), r('d', 0, 90, 1, null)]) t = tallyReading(t, x);
    const res = classResults(t);
    expect(res.rows.map((x) => [x.rank, x.id])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [2, 'c'],
      [4, 'd'],
    ]);
    expect(res.averages).toEqual({ people: 4, points: 37, avgBpm: 113, kcal: null });
  });

  it('who opted out of rankings comes after the ranked, by name, with no rank and no points; still in the averages', () => {
    let t: ClassTally = {};
    for (const x of [r('a', 0, 140, 4, 50), { ...r('z', 0, 150, 5, 90), ranked: false }, r('b', 0, 100, 2, 30), { ...r('m', 0, 120, 3, 10), ranked: false }]) t = tallyReading(t, x);
    const res = classResults(t);
    expect(res.rows.map((x) => [x.rank, x.id, x.points])).toEqual([
      [1, 'a', 50],
      [2, 'b', 30],
      [0, 'm', null],
      [0, 'z', null],
    ]);
    expect(res.averages.points).toBe(45);
  });
});
