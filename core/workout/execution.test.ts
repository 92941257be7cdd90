import { describe, expect, it } from 'vitest';
import { executedSpans, executedSummary, executionTimeline, recompute, recomputedSummary } from './execution';
import { executedWorkout } from './testing/executed-workout';

describe('execution record', () => {
  const w = executedWorkout();

  it('gives back the spans and the summary it was built from, phases included', () => {
    expect(executedSpans(w.execution)).toEqual(w.spans);
    expect(executedSummary(w.execution)).toEqual(JSON.parse(JSON.stringify(w.summary)));
    expect(executedSummary(w.execution).intervals.map((i) => i.phase)).toEqual(w.summary.intervals.map((i) => i.phase));
  });

  it('keeps the pause and the skip in its timeline', () => {
    expect(w.execution.timer.pauses).toEqual([{ at: w.startedAt + 48_000, ms: 15_000 }]);
    expect(w.execution.timer.skips).toHaveLength(1);
    const timeline = executionTimeline(w.execution);
    const work2 = timeline.find((p) => p.phase.kind === 'work' && p.phase.round === 2)!;
    // The pause moves the wall end 15 s past the planned end; the running time is the plan's.
    expect(work2.end! - work2.start!).toBe(work2.plannedEndMs - work2.plannedStartMs + 15_000);
    expect(work2.cut).toBe(false);
    const rest2 = timeline.find((p) => p.phase.kind === 'rest' && p.phase.round === 2)!;
    // Skipped at wall t0 + 79 s, part-way through.
    expect(rest2.end).toBe(w.startedAt + 79_000);
    expect(rest2.activeMs).toBeLessThan(rest2.plannedEndMs - rest2.plannedStartMs);
    expect(rest2.cut).toBe(true);
  });

  it('is JSON as it is stored', () => {
    expect(JSON.parse(JSON.stringify(w.execution))).toEqual(w.execution);
  });
});

describe('recompute', () => {
  const w = executedWorkout();

  it('with the recording profile gives the recorded figures', () => {
    const r = recompute(w.execution, w.readings, w.execution.profile);
    expect(r.summary).toEqual(w.execution.summary);
    expect(recomputedSummary(w.execution, r)).toEqual(executedSummary(w.execution));
  });

  it('with another profile changes only what depends on it', () => {
    const r = recompute(w.execution, w.readings, { ...w.execution.profile, maxHr: 170, weightKg: 90 });
    expect(r.summary.timeInZoneMs).not.toEqual(w.execution.summary.timeInZoneMs);
    expect(r.summary.calories.kcal).not.toBe(w.execution.summary.calories.kcal);
    expect(r.summary.heartRate).toEqual(w.execution.summary.heartRate);
    expect(r.summary.durationMs).toBe(w.execution.summary.durationMs);
    expect(r.summary.intervals.map((i) => i.avgBpm)).toEqual(w.execution.summary.intervals.map((i) => i.avgBpm));
  });
});
