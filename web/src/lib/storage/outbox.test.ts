import { describe, expect, it } from 'vitest';
import { LiveSessionSchema } from '$core/sync';
import { createTimer, restingCheckPlan, stopwatchPlan, tabataPlan, type Plan } from '$core/workout';
import { executedWorkout } from '$core/workout/testing/executed-workout';
import { buildRecord } from './outbox';
import type { SessionRow } from './schema';

const T = 1_700_000_000_000;
const HLC = `${String(T).padStart(15, '0')}-0000-device1`;

function row(plan: Plan, extra: Partial<SessionRow> = {}): SessionRow {
  return {
    id: 'sess00000000001',
    v: 1,
    status: 'finished',
    startedAt: T,
    endedAt: T + 60_000,
    lastWriteAt: T + 60_000,
    title: plan.name,
    notes: '',
    plan,
    timer: createTimer(plan),
    phases: [],
    gaps: [],
    source: 'strap',
    readingCount: 60,
    chunkCount: 1,
    profile: null,
    profileIsDefault: true,
    summary: null,
    updatedAt: T,
    ...extra,
  };
}

describe('buildRecord', () => {
  it('names the plan by its kind for a solo workout, and none for a stopwatch', () => {
    expect(buildRecord(row(tabataPlan()), crypto.randomUUID(), 60, HLC).plan).toEqual({ planId: 'intervals', name: 'Tabata' });
    expect(buildRecord(row(stopwatchPlan()), crypto.randomUUID(), 60, HLC).plan).toBeNull();
  });

  it('names a resting check by its id, so the server can tell it from a workout (intervals.icu wellness)', () => {
    const record = buildRecord(row(restingCheckPlan()), crypto.randomUUID(), 60, HLC);
    expect(record.plan).toEqual({ planId: 'resting-check', name: 'Resting check' });
    expect(LiveSessionSchema.safeParse(record).success).toBe(true);
    // The same plan under another name is a workout.
    expect(buildRecord(row({ ...restingCheckPlan(), name: 'Lie down' }), crypto.randomUUID(), 60, HLC).plan).toEqual({ planId: 'intervals', name: 'Lie down' });
  });

  it('names the room for a class workout, whatever its plan', () => {
    const room = { id: 'room00000000001', name: 'Tuesday HIIT' };
    for (const plan of [tabataPlan(), stopwatchPlan()]) {
      const record = buildRecord(row(plan, { room, title: room.name }), crypto.randomUUID(), 60, HLC);
      expect(record.plan).toEqual({ planId: 'room:room00000000001', name: plan.name });
      expect(LiveSessionSchema.safeParse(record).success).toBe(true);
    }
  });
});

describe('buildRecord execution', () => {
  const w = executedWorkout();
  const recorded = (extra: Partial<SessionRow> = {}) =>
    row(w.timer.plan, { timer: w.timer, phases: w.spans, summary: w.summary, profile: w.execution.profile, profileIsDefault: false, tzOffsetMinutes: 60, ...extra });

  it('carries what a finished row ran and computed', () => {
    const record = buildRecord(recorded(), crypto.randomUUID(), 60, HLC);
    expect(record.execution).toEqual(w.execution);
    expect(buildRecord(recorded({ room: { id: 'room00000000001', name: 'HIIT' }, profileIsDefault: true }), crypto.randomUUID(), 60, HLC).execution).toMatchObject({ profileSource: 'default', timer: w.timer });
  });

  it('is left out when the row lacks a piece or the record would break the wire bounds, so the session still syncs', () => {
    expect(buildRecord(recorded({ tzOffsetMinutes: undefined }), crypto.randomUUID(), 60, HLC).execution).toBeUndefined();
    expect(buildRecord(recorded({ summary: null }), crypto.randomUUID(), 60, HLC).execution).toBeUndefined();
    const pauses = Array.from({ length: 2000 }, (_, i) => ({ at: T + i, ms: 0 }));
    const overlong = recorded({ phases: Array.from({ length: 2001 }, () => w.spans[0]!) });
    const record = buildRecord(overlong, crypto.randomUUID(), 60, HLC);
    expect(record.execution).toBeUndefined();
    expect(LiveSessionSchema.safeParse(record).success).toBe(true);
    expect(buildRecord(recorded({ timer: { ...w.timer, pauses } }), crypto.randomUUID(), 60, HLC).execution).toBeUndefined();
  });
});
