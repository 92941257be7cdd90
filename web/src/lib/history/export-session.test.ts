import { describe, expect, it } from 'vitest';
import { expandPlan, type IntervalPlan, type PhaseSpan } from '$core/workout';
import { mergePhaseSpans, toExportSession } from './export-session';
import { seedSession } from './sample-sessions';

describe('mergePhaseSpans', () => {
  it('merges the pieces of a paused phase into one, pauses left out of active time', () => {
    const plan: IntervalPlan = { v: 1, mode: 'intervals', name: 'P', prepareMs: 0, blocks: [{ name: 'M', workMs: 10_000, restMs: 5_000, rounds: 2 }] };
    const [work, rest] = expandPlan(plan);
    const spans: PhaseSpan[] = [
      { phaseIndex: 0, phase: work!, start: 0, end: 4_000 },
      { phaseIndex: 0, phase: work!, start: 9_000, end: 15_000 }, // 5 s pause
      { phaseIndex: 1, phase: rest!, start: 15_000, end: 20_000 },
    ];
    expect(mergePhaseSpans(spans)).toEqual([
      { kind: 'work', label: 'Work', start: 0, end: 15_000, activeMs: 10_000 },
      { kind: 'rest', label: 'Rest', start: 15_000, end: 20_000, activeMs: 5_000 },
    ]);
  });
});

describe('toExportSession time-zone offset', () => {
  const { session, readings } = seedSession({ id: 's1', title: 'T', startedAt: Date.UTC(2026, 6, 15, 7, 30) });
  const data = { session, phases: session.phases, readings: readings.map((r) => ({ ...r, energyKj: null })), corruptChunks: 0 };

  it("without a recorded offset, takes this device's offset for the start date", () => {
    const asked: number[] = [];
    const out = toExportSession(data, (ms) => (asked.push(ms), 120));
    expect(out.tzOffsetMinutes).toBe(120);
    expect(asked).toEqual([session.startedAt]);
  });

  it('prefers the offset recorded with the session', () => {
    const out = toExportSession({ ...data, session: { ...session, tzOffsetMinutes: 330 } as typeof session }, () => 120);
    expect(out.tzOffsetMinutes).toBe(330);
  });
});
