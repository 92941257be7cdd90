import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createStorage } from '$lib/storage';
import { SessionDetail } from './session-detail.svelte';
import { SessionList } from './session-list.svelte';
import { seedSession, type Seeded } from './sample-sessions';

let n = 0;
async function storageWith(seeded: Seeded[]) {
  const storage = createStorage({ name: `history-test-${n++}` });
  await storage.db().sessions.bulkPut(seeded.map((s) => s.session));
  await storage.db().chunks.bulkPut(seeded.flatMap((s) => s.chunks.map((c) => ({ ...c, data: new Uint8Array(c.data) }))));
  return storage;
}

const DAY = 86_400_000;

describe('SessionList', () => {
  it('loads pages newest first until there are no more', async () => {
    const seeded = Array.from({ length: 5 }, (_, i) => seedSession({ id: `s${i}`, title: `W${i}`, startedAt: i * DAY, withoutReadings: true }));
    const list = new SessionList((await storageWith(seeded)).sessions, 2);
    await list.loadMore();
    expect(list.items.map((s) => s.title)).toEqual(['W4', 'W3']);
    expect(list.total).toBe(5);
    await list.loadMore();
    await list.loadMore();
    expect(list.items.map((s) => s.title)).toEqual(['W4', 'W3', 'W2', 'W1', 'W0']);
    expect(list.hasMore).toBe(false);
    await list.loadMore(); // no-op at the end
    expect(list.items).toHaveLength(5);
  });
});

describe('SessionDetail', () => {
  it('opens a workout by its wire id (its address on every device) or by this device\'s row id, and edits the same row', async () => {
    const uuid = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
    const s = seedSession({ id: 'rowid0000000001', title: 'Tabata', startedAt: 0 });
    const storage = await storageWith([{ ...s, session: { ...s.session, syncId: uuid } }]);
    for (const address of [uuid, 'rowid0000000001']) {
      const detail = new SessionDetail(storage.sessions, address);
      await detail.load();
      expect(detail.status).toBe('ready');
      expect(detail.address).toBe(uuid);
      expect(detail.data!.readings).toHaveLength(s.readings.length);
    }
    const byUuid = new SessionDetail(storage.sessions, uuid);
    await byUuid.load();
    expect(await byUuid.save({ title: 'Renamed' })).toBe('done');
    expect((await storage.sessions.get('rowid0000000001'))!.title).toBe('Renamed');
  });

  it('loads a session with its readings and the stored summary', async () => {
    const s = seedSession({ id: 'one', title: 'Tabata', startedAt: 0 });
    const detail = new SessionDetail((await storageWith([s])).sessions, 'one');
    await detail.load();
    expect(detail.status).toBe('ready');
    expect(detail.data!.readings).toHaveLength(s.readings.length);
    expect(detail.summary).toEqual(s.session.summary);
  });

  it('computes a summary for a session cut off before it finished', async () => {
    const s = seedSession({ id: 'cut', title: 'Cut off', startedAt: 0 });
    const cut = { ...s, session: { ...s.session, status: 'recording' as const, endedAt: null, summary: null } };
    const detail = new SessionDetail((await storageWith([cut])).sessions, 'cut');
    await detail.load();
    expect(detail.summary!.heartRate!.maxBpm).toBe(s.session.summary!.heartRate!.maxBpm);
  });

  it('saves title and notes, deletes, and reports a missing session', async () => {
    const storage = await storageWith([seedSession({ id: 'x', title: 'Old', startedAt: 0 })]);
    const detail = new SessionDetail(storage.sessions, 'x');
    await detail.load();
    expect(await detail.save({ title: 'New', notes: 'felt strong' })).toBe('done');
    expect(detail.data!.session).toMatchObject({ title: 'New', notes: 'felt strong' });
    expect(await detail.remove()).toBe('done');
    expect(await storage.db().chunks.where('sessionId').equals('x').count()).toBe(0);
    const gone = new SessionDetail(storage.sessions, 'x');
    await gone.load();
    expect(gone.status).toBe('not-found');
    expect(await gone.save({ title: 'Again' })).toBe('not-found');
  });
});
