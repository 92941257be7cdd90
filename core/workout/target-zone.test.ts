import { describe, expect, it } from 'vitest';
import { expandPlan } from './expand-plan';
import type { IntervalPlan } from './plan';
import { stopwatchPlan } from './presets';
import {
  INITIAL_TARGET_TRACKER,
  TARGET_DWELL_MS,
  blockTarget,
  phaseTarget,
  targetChangeText,
  targetRange,
  targetStatus,
  trackTarget,
  type HrTarget,
  type TargetTracker,
} from './target-zone';
import { percentMaxZones } from './zones';

// max 200 bpm: zone 3 = [140, 160), zone 4 = [160, 180), zone 5 = [180, ∞).
const zones = percentMaxZones(200);
const zone3: HrTarget = { kind: 'zone', zone: 3 };
const range: HrTarget = { kind: 'bpm', min: 130, max: 150 };

describe('targetStatus', () => {
  it('a zone is [min, max): its lower bound is on, its upper bound already over', () => {
    expect(targetStatus(139, zone3, zones)).toBe('under');
    expect(targetStatus(139.9, zone3, zones)).toBe('under');
    expect(targetStatus(140, zone3, zones)).toBe('on');
    expect(targetStatus(159, zone3, zones)).toBe('on');
    expect(targetStatus(160, zone3, zones)).toBe('over');
  });

  it('zone 5 has no top: nothing is over it', () => {
    expect(targetStatus(179, { kind: 'zone', zone: 5 }, zones)).toBe('under');
    expect(targetStatus(240, { kind: 'zone', zone: 5 }, zones)).toBe('on');
    expect(targetRange({ kind: 'zone', zone: 5 }, zones)).toEqual({ minBpm: 180, maxBpm: null, maxInclusive: false });
  });

  it('a bpm range includes both ends', () => {
    expect(targetStatus(129, range, zones)).toBe('under');
    expect(targetStatus(130, range, zones)).toBe('on');
    expect(targetStatus(150, range, zones)).toBe('on');
    expect(targetStatus(151, range, zones)).toBe('over');
  });

  it('is null without a heart rate (none, or 0 = no reading) or without a target', () => {
    expect(targetStatus(null, zone3, zones)).toBeNull();
    expect(targetStatus(0, zone3, zones)).toBeNull();
    expect(targetStatus(150, null, zones)).toBeNull();
    expect(targetStatus(150, { kind: 'zone', zone: 3 }, [])).toBeNull();
  });
});

describe('phaseTarget', () => {
  const plan: IntervalPlan = {
    v: 1,
    mode: 'intervals',
    name: 'Targets',
    prepareMs: 5_000,
    warmup: { durationMs: 60_000 },
    blocks: [
      { name: 'A', workMs: 30_000, restMs: 10_000, rounds: 2, targetZone: 4 },
      { name: 'B', workMs: 30_000, restMs: 10_000, rounds: 1, targetBpm: { min: 120, max: 140 } },
      { name: 'C', workMs: 30_000, restMs: 0, rounds: 1 },
    ],
  };

  it("gives work phases their block's target, and nothing to prepare, warm-up, rest or a block without one", () => {
    const targets = expandPlan(plan).map((p) => [p.kind, phaseTarget(plan, p)]);
    expect(targets).toEqual([
      ['prepare', null],
      ['warmup', null],
      ['work', { kind: 'zone', zone: 4 }],
      ['rest', null],
      ['work', { kind: 'zone', zone: 4 }],
      ['rest', null],
      ['work', { kind: 'bpm', min: 120, max: 140 }],
      ['rest', null],
      ['work', null],
    ]);
    expect(phaseTarget(stopwatchPlan(), { kind: 'work', blockIndex: 0 })).toBeNull();
    expect(blockTarget({})).toBeNull();
  });
});

describe('trackTarget (debounce)', () => {
  function feed(readings: Array<[at: number, bpm: number | null, key?: string]>, target: HrTarget | null = zone3) {
    let tracker: TargetTracker = INITIAL_TARGET_TRACKER;
    const shown: Array<string | null> = [];
    const changes: string[] = [];
    for (const [at, bpm, key] of readings) {
      const r = trackTarget(tracker, { at, bpm, target, key: key ?? 'work-1', zones });
      tracker = r.tracker;
      shown.push(tracker.shown);
      if (r.change) changes.push(`${r.change.from}>${r.change.to}@${r.change.at}`);
    }
    return { shown, changes };
  }

  it('shows the first status of a phase at once, without a change', () => {
    expect(feed([[0, 120]])).toEqual({ shown: ['under'], changes: [] });
  });

  it('changes only after the new status held for the dwell time, then reports it once', () => {
    const r = feed([
      [0, 150],
      [1_000, 165],
      [1_000 + TARGET_DWELL_MS - 1, 166],
      [1_000 + TARGET_DWELL_MS, 167],
      [7_000, 168],
    ]);
    expect(r.shown).toEqual(['on', 'on', 'on', 'over', 'over']);
    expect(r.changes).toEqual([`on>over@${1_000 + TARGET_DWELL_MS}`]);
  });

  it('a strap flickering across a boundary never changes the status', () => {
    const readings: Array<[number, number]> = [];
    for (let t = 0; t < 30_000; t += 1_000) readings.push([t, t % 2000 === 0 ? 159 : 160]);
    const r = feed(readings);
    expect(new Set(r.shown)).toEqual(new Set(['on']));
    expect(r.changes).toEqual([]);
  });

  it('a short dip restarts the dwell; a different way out restarts it too', () => {
    const r = feed([
      [0, 150],
      [1_000, 130], // under from 1 s
      [4_000, 150], // back on: the dwell starts over
      [5_000, 130], // under from 5 s
      [8_000, 170], // over from 8 s
      [12_000, 170],
      [13_000, 170], // 5 s over
    ]);
    expect(r.changes).toEqual(['on>over@13000']);
  });

  it('reports coming back on target after being off it', () => {
    const r = feed([
      [0, 120],
      [2_000, 145],
      [7_000, 146],
    ]);
    expect(r.changes).toEqual(['under>on@7000']);
  });

  it('a new phase starts over silently, and so does a return after no heart rate', () => {
    const r = feed([
      [0, 150],
      [1_000, 130],
      [3_000, 130, 'work-2'], // new phase: shown at once as under, no change
      [4_000, null, 'work-2'],
      [5_000, 170, 'work-2'], // after the gap: shown at once
    ]);
    expect(r.shown).toEqual(['on', 'on', 'under', null, 'over']);
    expect(r.changes).toEqual([]);
  });

  it('a phase without a target shows nothing', () => {
    expect(feed([[0, 150]], null).shown).toEqual([null]);
  });

  it('words the change as what to do', () => {
    expect(targetChangeText({ to: 'under' })).toBe('Speed up');
    expect(targetChangeText({ to: 'over' })).toBe('Ease off');
    expect(targetChangeText({ to: 'on' })).toBe('On target');
  });
});
