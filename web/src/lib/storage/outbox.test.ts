import { describe, expect, it } from 'vitest';
import { LiveSessionSchema } from '$core/sync';
import { createTimer, stopwatchPlan, tabataPlan, type Plan } from '$core/workout';
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

  it('names the room for a class workout, whatever its plan', () => {
    const room = { id: 'room00000000001', name: 'Tuesday HIIT' };
    for (const plan of [tabataPlan(), stopwatchPlan()]) {
      const record = buildRecord(row(plan, { room, title: room.name }), crypto.randomUUID(), 60, HLC);
      expect(record.plan).toEqual({ planId: 'room:room00000000001', name: plan.name });
      expect(LiveSessionSchema.safeParse(record).success).toBe(true);
    }
  });
});
