import { describe, expect, it } from 'vitest';
import { graphScale, graphSegments, liveZoneLabel, percentOfMaxLabel } from './live-view';
import { percentMaxZones, zoneFor } from './zones';

describe('live zone label', () => {
  const zones = percentMaxZones(200);
  it('names the HR zone, never a phase: below zone 1 is "Below zone 1", not "Zone 0 · Rest"', () => {
    expect(liveZoneLabel(zoneFor(60, zones))).toBe('Below zone 1');
    expect(liveZoneLabel(zoneFor(60, zones))).not.toMatch(/Rest|Zone 0/);
    expect(liveZoneLabel(zoneFor(100, zones))).toBe('Zone 1 · Warm-up / Recovery');
    expect(liveZoneLabel(zoneFor(150, zones))).toBe('Zone 3 · Aerobic');
    expect(liveZoneLabel(zoneFor(260, zones))).toBe('Zone 5 · Maximum');
  });

  it('says % of max in whole percent, nothing without a max', () => {
    expect(percentOfMaxLabel(150, 180)).toBe('83 % max');
    expect(percentOfMaxLabel(150, 0)).toBeNull();
    expect(percentOfMaxLabel(0, 180)).toBeNull();
  });
});

describe('live graph', () => {
  const pts = (from: number, n: number, stepMs: number, bpm: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: from + i * stepMs, bpm: bpm(i) }));

  it('scales to the zone bands, widened to the readings on 10 bpm steps', () => {
    expect(graphScale([], 0, 180)).toEqual({ lo: 80, hi: 190 });
    expect(graphScale([{ t: 10, bpm: 55 }, { t: 11, bpm: 201 }], 0, 180)).toEqual({ lo: 50, hi: 210 });
    // Readings scrolled out of the window do not widen it.
    expect(graphScale([{ t: -1, bpm: 40 }], 0, 180)).toEqual({ lo: 80, hi: 190 });
  });

  it('keeps at most two points per pixel column, the extremes in time order', () => {
    const now = 300_000;
    // 4 Hz for five minutes: 1200 readings, a spike in each column.
    const points = pts(0, 1200, 250, (i) => (i % 7 === 3 ? 170 : 120));
    const segments = graphSegments(points, [], now, 300_000, 100);
    expect(segments).toHaveLength(1);
    const line = segments[0]!;
    expect(line.length).toBeLessThanOrEqual(200);
    expect(Math.max(...line.map((p) => p.bpm))).toBe(170);
    expect(Math.min(...line.map((p) => p.bpm))).toBe(120);
    for (let i = 1; i < line.length; i++) expect(line[i]!.t).toBeGreaterThan(line[i - 1]!.t);
  });

  it('never bridges a gap or a long silence, and drops what is outside the window', () => {
    const now = 100_000;
    const points = [...pts(0, 10, 1000, () => 100), ...pts(20_000, 10, 1000, () => 110), ...pts(31_000, 5, 1000, () => 120)];
    // Silence of 11 s between the first two runs; a gap opened between the last two.
    const gaps = [{ from: 29_500, to: 31_000 }];
    const segments = graphSegments(points, gaps, now, 95_000, 1000);
    expect(segments.map((s) => s.length)).toEqual([5, 10, 5]);
    expect(segments[0]![0]!.t).toBe(5_000);
    expect(graphSegments([], [], now, 60_000, 100)).toEqual([]);
  });
});
