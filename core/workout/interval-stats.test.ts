import { describe, expect, it } from 'vitest';
import { expandPlan } from './expand-plan';
import { intervalStats, type RestStats, type WorkBoutStats } from './interval-stats';
import { phaseHistory } from './phase-history';
import type { IntervalPlan } from './plan';
import type { Reading } from './readings';
import { startTimer } from './timer-engine';
import { createTimer } from './timer-state';
import { percentMaxZones } from './zones';

const T0 = 1_700_000_000_000;
// No prepare; work 0-60 s, rest 60-90 s, work 90-150 s; target zone 4.
const plan: IntervalPlan = {
  v: 1,
  mode: 'intervals',
  name: 'Test',
  prepareMs: 0,
  blocks: [{ name: 'A', workMs: 60_000, restMs: 30_000, rounds: 2, targetZone: 4 }],
};
// HRmax 180 → zone 4 from 0.8 × 180 = 144 bpm.
const zones = percentMaxZones(180);

/** One reading a second: ramp 100 → 159 in work 1, fall 160 → 102 in the rest, flat 130 in work 2. */
function readings(): Reading[] {
  const out: Reading[] = [];
  for (let s = 0; s < 150; s++) {
    const bpm = s < 60 ? 100 + s : s < 90 ? 160 - (s - 60) * 2 : 130;
    out.push({ t: T0 + s * 1_000, bpm, rr1024: [], contact: 'detected' });
  }
  return out;
}

describe('intervalStats', () => {
  const spans = phaseHistory(startTimer(createTimer(plan), T0).state, T0 + 150_000);
  const stats = intervalStats(readings(), spans, zones);

  it('one entry per work and rest phase', () => {
    expect(stats.map((s) => [s.kind, s.phaseIndex])).toEqual([
      ['work', 0],
      ['rest', 1],
      ['work', 2],
    ]);
  });

  it('work bout: time-weighted average, peak, time to target zone', () => {
    const work1 = stats[0] as WorkBoutStats;
    // each reading holds 1 s: mean of 100..159 = (100 + 159) / 2 = 129.5; peak 159
    expect(work1).toMatchObject({ avgBpm: 129.5, peakBpm: 159, activeMs: 60_000, targetZone: 4 });
    // first reading ≥ 144 is 100 + 44 at t = 44 s
    expect(work1.timeToTargetMs).toBe(44_000);
    // work 2 stays at 130 (zone 3): never reaches zone 4
    expect(stats[2]).toMatchObject({ avgBpm: 130, peakBpm: 130, timeToTargetMs: null });
  });

  it('rest: HR drop from the start of the rest to just before its end', () => {
    // start: reading at 60 s = 160; end: last reading before 90 s, at 89 s = 160 − 29 × 2 = 102; drop 58
    expect(stats[1] as RestStats).toMatchObject({ startBpm: 160, endBpm: 102, dropBpm: 58 });
  });

  it('time to target excludes a pause and is 0 when already in the zone', () => {
    const work = expandPlan(plan)[0]!;
    // work bout run 0-20 s, paused 20-50 s, run again 50-90 s; HR 120 until 60 s, 150 after
    const paused = [
      { phaseIndex: 0, phase: work, start: T0, end: T0 + 20_000 },
      { phaseIndex: 0, phase: work, start: T0 + 50_000, end: T0 + 90_000 },
    ];
    const hr: Reading[] = Array.from({ length: 90 }, (_, s) => ({ t: T0 + s * 1_000, bpm: s < 60 ? 120 : 150, rr1024: [], contact: 'detected' }));
    // 20 s in the first span + (60 − 50) s in the second = 30 s
    expect(intervalStats(hr, paused, zones)[0]).toMatchObject({ timeToTargetMs: 30_000, activeMs: 60_000 });
    const hot = hr.map((r) => ({ ...r, bpm: 170 }));
    expect(intervalStats(hot, paused, zones)[0]).toMatchObject({ timeToTargetMs: 0 });
  });

  it('nulls when there is no heart rate', () => {
    expect(intervalStats([], spans, zones)[1]).toMatchObject({ avgBpm: null, peakBpm: null, startBpm: null, endBpm: null, dropBpm: null });
  });
});
