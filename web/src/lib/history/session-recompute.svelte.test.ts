import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LiveSessionSchema } from '$core/sync';
import { executedWorkout } from '$core/workout/testing/executed-workout';
import { buildRecord, createStorage, encodeReadings, normalizeReading, type SessionRow } from '$lib/storage';
import { SessionDetail } from './session-detail.svelte';
import { toExportSession } from './export-session';
import { executedSessionRow } from './sample-sessions';

const SYNC_ID = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
const HLC = '001768462200000-0000-phone-a1';
let n = 0;

async function recorded() {
  const w = executedWorkout();
  const storage = createStorage({ name: `recompute-test-${n++}`, now: () => w.endedAt + 60_000 });
  const row: SessionRow = executedSessionRow(w, { id: 'rowid0000000001', owner: 'member1', syncId: SYNC_ID, synced: 1 });
  row.record = buildRecord(row, SYNC_ID, w.readings.length, HLC);
  const readings = w.readings.map((r) => normalizeReading({ ...r, energyKj: null }));
  await storage.db().sessions.put(row);
  await storage.db().chunks.put({ sessionId: row.id, seq: 0, sealed: 1, t0: readings[0]!.t, t1: readings.at(-1)!.t, count: readings.length, data: encodeReadings(readings) });
  return { w, storage, row };
}

describe('recompute with my current profile', () => {
  it('says what would change, stores nothing until confirmed, then shows, syncs and exports the new figures with the recorded ones kept', async () => {
    const { w, storage } = await recorded();
    const current = { ...w.execution.profile, maxHr: 170 };
    const detail = new SessionDetail(storage.sessions, SYNC_ID, undefined, async () => current);
    await detail.load();
    expect(detail.canRecompute).toBe(true);
    const recordedKcal = detail.summary!.calories.kcal;

    expect(await detail.previewRecompute()).toBe('done');
    const changes = detail.recomputePreview!.changes;
    expect(changes.find((c) => c.id === 'maxhr')).toEqual({ id: 'maxhr', label: 'Max HR', before: '184 bpm', after: '170 bpm' });
    expect(changes.some((c) => c.id.startsWith('zone-'))).toBe(true);
    expect((await storage.db().outbox.toArray())).toHaveLength(0);
    detail.cancelRecompute();
    expect(detail.summary!.calories.kcal).toBe(recordedKcal);

    await detail.previewRecompute();
    expect(await detail.confirmRecompute()).toBe('done');
    const row = (await storage.sessions.get(SYNC_ID))!;
    expect(row.record!.recomputed!.value.profile).toEqual(current);
    // The recording's figures stay in the write-once record.
    expect(row.record!.execution).toEqual(w.execution);
    expect(LiveSessionSchema.safeParse(row.record).success).toBe(true);
    const [queued] = await storage.db().outbox.toArray();
    expect(queued).toMatchObject({ type: 'session.patch', mutation: { field: 'recomputed', sessionId: SYNC_ID } });

    expect(detail.executed!.recorded!.profile).toEqual(w.execution.profile);
    expect(detail.executed!.profile).toEqual(current);
    expect(detail.summary!.timeInZoneMs).toEqual(row.record!.recomputed!.value.summary.timeInZoneMs);
    expect(toExportSession(detail.data!).profile).toEqual(current);

    // Again with the same profile: nothing changes.
    await detail.previewRecompute();
    expect(detail.recomputePreview!.changes).toEqual([]);
  });
});
