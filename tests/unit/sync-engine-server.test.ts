import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { SYNC_ERROR_MESSAGES } from '$core/sync';
import type { SyncApi } from '$lib/api';
import { createStorage, outboxTables, recordFinished, type Storage } from '$lib/storage';
import { createSyncEngine } from '$lib/sync/engine';
import { memoryLock } from '$lib/sync/lock';
import { forgetMember, setOwner } from '$lib/sync/member-data';
import { DEFAULT_PROFILE } from '$lib/profile';
import { deviceIdOf } from '$lib/storage';
import { firstMissingIndex, fetchSessionReadings } from '$lib/sync/session-readings';
import { startSyncServer, type TestSyncServer } from './support/sync-server';
import { recordWorkout } from '$lib/sync/testing/record-workout';

let n = 0;
const T0 = Date.now() - 3_600_000;

async function device(server: TestSyncServer, opts: { api?: SyncApi; pushBatch?: number; pullLimit?: number; owner?: string } = {}) {
  const storage = createStorage({ name: `sync-unit-${n++}` });
  await setOwner(storage.db(), opts.owner ?? 'member1');
  const engine = createSyncEngine({ db: storage.db, api: opts.api ?? server.api, lock: memoryLock(), pushBatch: opts.pushBatch, pullLimit: opts.pullLimit });
  return { storage, engine, db: storage.db() };
}

const record = (storage: Storage, i: number, readings = 90) => recordWorkout(storage, Date.now, { startedAt: T0 + i * 600_000, readings, title: `W${i}`, seed: i });

describe('outbox', () => {
  it('a finished session queues its upsert and every chunk in the same transaction', async () => {
    const { storage, db } = await device(await startSyncServer());
    const row = await record(storage, 1, 150);
    const rows = await db.outbox.toArray();
    expect(rows.map((r) => r.type)).toEqual(['session.upsert', 'chunk.put', 'chunk.put', 'chunk.put']);
    expect(rows.every((r) => r.sessionId === row.syncId && r.owner === 'member1')).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
    expect((await db.chunks.where('sessionId').equals(row.id).toArray()).every((c) => c.sealed === 1)).toBe(true);
  });

  it('a failed transaction leaves neither the data row nor its outbox row', async () => {
    const { storage, db } = await device(await startSyncServer());
    const row = await record(storage, 1);
    await db.outbox.clear();
    // An edit whose outbox write fails (the id generator throws) is rolled back as a whole.
    const failing = createStorage({ name: db.name });
    const store = (await import('$lib/storage')).createSessionStore(failing.db, Date.now, () => {
      throw new Error('no ids today');
    });
    await expect(store.update(row.id, { title: 'Renamed' })).rejects.toThrow('no ids today');
    expect((await db.sessions.get(row.id))!.title).toBe('W1');
    expect(await db.outbox.count()).toBe(0);
    // And a finish whose transaction aborts after the outbox rows were added leaves no record.
    await db.sessions.update(row.id, { record: undefined });
    await expect(
      db.transaction('rw', outboxTables(db), async () => {
        await recordFinished(db, row.id, Date.now());
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect((await db.sessions.get(row.id))!.record).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
    failing.db().close();
  });

  it('edits and deletes queue patches and a delete stamped by this device', async () => {
    const { storage, db } = await device(await startSyncServer());
    const row = await record(storage, 1);
    await storage.sessions.update(row.id, { title: 'Hills', notes: 'windy' });
    await storage.sessions.delete(row.id);
    const rows = await db.outbox.toArray();
    // Deleting drops the session's unsent mutations: only the delete is left.
    expect(rows.map((r) => r.type)).toEqual(['session.delete']);
    expect(await db.tombstones.get(row.syncId!)).toBeTruthy();
  });
});

describe('push', () => {
  it('pushes in batches and empties the outbox; a replay is a duplicate and counts as done', async () => {
    const server = await startSyncServer();
    const { storage, engine, db } = await device(server, { pushBatch: 4 });
    for (let i = 0; i < 3; i++) await record(storage, i, 200); // 3 × (1 + 4) mutations
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'synced', pushed: 15, rejected: 0 });
    expect(server.pushes.map((p) => p.length)).toEqual([4, 4, 4, 3]);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sessions.toArray()).every((s) => s.synced === 1)).toBe(true);
    // A lost response: the same mutations again are duplicates, i.e. success.
    await db.outbox.bulkAdd(server.pushes[0]!.map((m) => ({ id: m.id, owner: 'member1', sessionId: 'x', attempts: 0, type: 'session.delete' as const, mutation: m as never })));
    expect(await engine.run()).toMatchObject({ status: 'synced', pushed: 4 });
  });

  it('moves refused mutations to the rejected list without blocking the rest', async () => {
    const server = await startSyncServer();
    const corrupt: SyncApi = {
      ...server.api,
      push: (input, signal) =>
        server.api.push({ ...input, mutations: input.mutations.map((m) => (m.type === 'chunk.put' && m.index === 1 ? { ...m, sha256: '0'.repeat(64) } : m)) }, signal),
    };
    const { storage, engine, db } = await device(server, { api: corrupt });
    const row = await record(storage, 1, 150);
    expect(await engine.run()).toMatchObject({ status: 'synced', rejected: 1 });
    expect(await db.outbox.count()).toBe(0);
    const rejected = await db.rejected.toArray();
    expect(rejected).toMatchObject([{ code: 'chunk_corrupt', type: 'chunk.put', sessionId: row.syncId, owner: 'member1' }]);
    expect(server.sessionIds()).toEqual([row.syncId]);
  });

  it('holds back quota_exceeded mutations and still pushes deletes', async () => {
    const server = await startSyncServer();
    const { storage, engine, db } = await device(server);
    const a = await record(storage, 1);
    await engine.run();
    server.quotaBytes = 1; // full
    await record(storage, 2);
    await storage.sessions.delete(a.id);
    const result = await engine.run();
    expect(result).toMatchObject({ status: 'synced', heldBack: 3 });
    expect(server.sessionIds()).toEqual([a.syncId]); // tombstoned there
    expect((await db.outbox.toArray()).map((r) => r.type)).toEqual(['session.upsert', 'chunk.put', 'chunk.put']);
    expect((await db.outbox.toArray()).every((r) => r.attempts === 0)).toBe(true);
  });

  it('reports offline as a failure and keeps the queue', async () => {
    const server = await startSyncServer();
    const { storage, engine, db } = await device(server);
    await record(storage, 1);
    server.offline = true;
    expect(await engine.run()).toMatchObject({ status: 'failed', error: { code: 'network' } });
    expect(await db.outbox.count()).toBe(3);
  });
});

describe('pull', () => {
  it('a second device pulls sessions and readings; edits and deletes flow both ways', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    const b = await device(server, { pullLimit: 2 });
    const row = await record(a.storage, 1, 130);
    await a.engine.run();
    await b.engine.run();
    const pulled = await b.storage.sessions.get(row.syncId!);
    expect(pulled).toMatchObject({ title: 'W1', origin: 'remote', synced: 1, startedAt: row.startedAt, endedAt: row.endedAt });
    expect(await b.storage.sessions.readings(row.syncId!)).toEqual(await a.storage.sessions.readings(row.id));
    expect(pulled!.summary!.heartRate).toEqual(row.summary!.heartRate);

    // Concurrent edits of different fields both survive; B's unsynced edit is not lost by a pull.
    await b.storage.sessions.update(row.syncId!, { title: 'From B' });
    await a.storage.sessions.update(row.id, { notes: 'From A' });
    await a.engine.run();
    await b.engine.run();
    await a.engine.run();
    expect(await a.storage.sessions.get(row.id)).toMatchObject({ title: 'From B', notes: 'From A' });
    expect(await b.storage.sessions.get(row.syncId!)).toMatchObject({ title: 'From B', notes: 'From A' });

    await b.storage.sessions.delete(row.syncId!);
    await b.engine.run();
    await a.engine.run();
    expect(await a.storage.sessions.count()).toBe(0);
    expect(await a.db.chunks.count()).toBe(0);
  });

  it('a local delete absorbs a stale live copy pulled before the delete was pushed', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    const b = await device(server);
    const row = await record(a.storage, 1);
    await a.engine.run();
    await b.engine.run();
    server.offline = true;
    await b.storage.sessions.delete(row.syncId!);
    await a.storage.sessions.update(row.id, { title: 'late edit' });
    server.offline = false;
    await a.engine.run();
    await b.engine.run(); // pushes its delete first, then pulls the edited live record
    await a.engine.run();
    expect(await b.storage.sessions.count()).toBe(0);
    expect(await a.storage.sessions.count()).toBe(0);
  });

  it('on reset drops synced sessions the server no longer has and keeps unsynced ones', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    const b = await device(server);
    const gone = await record(a.storage, 1);
    const kept = await record(a.storage, 2);
    await a.engine.run();
    await b.engine.run();
    expect(await b.storage.sessions.count()).toBe(2);
    const local = await record(b.storage, 3);
    server.offline = true;
    await b.engine.run(); // cannot push: `local` stays unsynced
    server.offline = false;
    await server.purge(gone.syncId!);
    // Pull only (the push would sync `local`): call the engine with a server that refuses pushes.
    const pullOnly = createSyncEngine({
      db: b.storage.db,
      lock: memoryLock(),
      api: { ...server.api, push: async () => ({ ok: false, error: { status: 0, code: 'network', message: '', requestId: null } }) },
    });
    await pullOnly.run();
    const bPull = await createSyncEngine({ db: b.storage.db, lock: memoryLock(), api: { ...server.api, push: async (i) => ({ ok: true, value: { results: i.mutations.map((m) => ({ mutationId: m.id, status: 'rejected' as const, code: 'batch_aborted' as const, message: SYNC_ERROR_MESSAGES.batch_aborted })), cursor: 'e1.0.0' } }) } }).run();
    expect(bPull.status).toBe('synced');
    const ids = (await b.storage.sessions.list()).sessions.map((s) => s.syncId).sort();
    expect(ids).toEqual([kept.syncId, local.syncId].sort());
  });

  it('metadata first: the whole history list is in before the first readings are pulled', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    for (let i = 1; i <= 3; i++) await record(a.storage, i, 150);
    await a.engine.run();
    server.requests.length = 0;
    let sessionsAtFirstChunkPull = -1;
    const api: SyncApi = {
      ...server.api,
      async pull(input, signal) {
        if (input.kinds === 'chunks' && sessionsAtFirstChunkPull < 0) sessionsAtFirstChunkPull = await b.storage.sessions.count();
        return server.api.pull(input, signal);
      },
    };
    const b = await device(server, { api, pullLimit: 2 });
    expect(await b.engine.run()).toMatchObject({ status: 'synced' });
    expect(sessionsAtFirstChunkPull).toBe(3);
    const kinds = server.requests.filter((r) => r.startsWith('pull:'));
    expect(kinds.indexOf('pull:chunks')).toBe(kinds.lastIndexOf('pull:sessions') + 1);
    expect(kinds.every((k) => k === 'pull:sessions' || k === 'pull:chunks')).toBe(true);
    for (const row of (await a.storage.sessions.list()).sessions) {
      expect(await b.storage.sessions.readings(row.syncId!)).toEqual(await a.storage.sessions.readings(row.id));
    }
  });

  it('a workout opened before its readings arrived fetches them on its own, once', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    const row = await record(a.storage, 1, 250);
    await a.engine.run();
    // B's readings stream is cut: only the metadata arrives.
    const noReadings: SyncApi = {
      ...server.api,
      pull: (input, signal) =>
        input.kinds === 'chunks' ? Promise.resolve({ ok: false, error: { status: 0, code: 'network', message: 'offline', requestId: null } }) : server.api.pull(input, signal),
    };
    const b = await device(server, { api: noReadings });
    expect(await b.engine.run()).toMatchObject({ status: 'failed' });
    const pulled = (await b.storage.sessions.get(row.syncId!))!;
    expect(pulled).toMatchObject({ origin: 'remote', readingCount: 250 });
    // The recorded summary comes with the metadata (the execution record, protocol 3).
    expect(pulled.summary).toEqual(JSON.parse(JSON.stringify(row.summary)));
    expect(await b.storage.sessions.readings(row.syncId!)).toEqual([]);

    const deps = { db: b.db, api: server.api, owner: 'member1', deviceId: await deviceIdOf(b.db), now: Date.now, profile: DEFAULT_PROFILE, limit: 2 };
    server.requests.length = 0;
    expect(await fetchSessionReadings(deps, row.syncId!)).toEqual({ ok: true, fetched: 5 });
    expect(server.requests).toEqual([`chunks:${row.syncId}:0`, `chunks:${row.syncId}:2`, `chunks:${row.syncId}:4`]);
    expect(await b.storage.sessions.readings(row.syncId!)).toEqual(await a.storage.sessions.readings(row.id));
    expect((await b.storage.sessions.get(row.syncId!))!.summary!.heartRate).toEqual(row.summary!.heartRate);
    // Complete now: no request. And the readings stream, back later, changes nothing.
    server.requests.length = 0;
    expect(await fetchSessionReadings(deps, row.syncId!)).toEqual({ ok: true, fetched: 0 });
    expect(server.requests).toEqual([]);
    const again = await createSyncEngine({ db: b.storage.db, api: server.api, lock: memoryLock() }).run();
    expect(again).toMatchObject({ status: 'synced' });
    expect(await b.storage.sessions.readings(row.syncId!)).toEqual(await a.storage.sessions.readings(row.id));
    // A workout recorded on this device, or an unknown id, is not fetched from anywhere.
    const own = await record(b.storage, 2, 90);
    server.requests.length = 0;
    expect(await fetchSessionReadings(deps, own.id)).toEqual({ ok: true, fetched: 0 });
    expect(await fetchSessionReadings(deps, 'no-such-id')).toEqual({ ok: true, fetched: 0 });
    expect(server.requests).toEqual([]);
  });

  it('the first missing chunk index skips sealed chunks only', () => {
    expect(firstMissingIndex([])).toBe(0);
    expect(firstMissingIndex([{ seq: 0, sealed: 1 }, { seq: 1, sealed: 1 }, { seq: 3, sealed: 1 }])).toBe(2);
    expect(firstMissingIndex([{ seq: 0, sealed: 1 }, { seq: 1, sealed: 0 }])).toBe(1);
  });

  it('a cursor from before the two streams carries over to both: nothing is pulled twice', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    await record(a.storage, 1, 150);
    await a.engine.run();
    const b = await device(server);
    await b.engine.run();
    // As an older app left it: one cursor, no readings cursor.
    const cursor = (await b.db.syncMeta.get('cursor:member1'))!.value;
    await b.db.syncMeta.delete('chunk-cursor:member1');
    expect(await b.engine.run()).toMatchObject({ status: 'synced', pulled: 0 });
    expect((await b.db.syncMeta.get('chunk-cursor:member1'))!.value).toBe(cursor);
  });

  it('a stale cursor restarts from the beginning as a reset', async () => {
    const server = await startSyncServer();
    const a = await device(server);
    await record(a.storage, 1);
    await a.engine.run();
    await a.db.syncMeta.put({ key: 'cursor:member1', value: 'other-epoch' });
    expect(await a.engine.run()).toMatchObject({ status: 'synced' });
    expect(await a.storage.sessions.count()).toBe(1);
  });
});

describe('members on one device', () => {
  it('guests are not synced; sign-out forgets every row of the member and keeps guest workouts', async () => {
    const server = await startSyncServer();
    const d = await device(server, { owner: '' });
    const guest = await record(d.storage, 1);
    expect(await d.engine.run()).toEqual({ status: 'guest' });
    expect(await d.db.outbox.count()).toBe(0);
    await setOwner(d.db, 'member1');
    const mine = await record(d.storage, 2);
    await d.engine.run();
    await forgetMember(d.db, 'member1');
    expect((await d.storage.sessions.list()).sessions.map((s) => s.id)).toEqual([guest.id]);
    expect(await d.db.chunks.where('sessionId').equals(mine.id).count()).toBe(0);
    expect(await d.db.outbox.count()).toBe(0);
  });

  it('a device that dropped a member’s data takes a new id, so its own chunks come back at the next sign-in', async () => {
    const server = await startSyncServer();
    const d = await device(server);
    const mine = await record(d.storage, 1, 150);
    const readings = await d.storage.sessions.readings(mine.id);
    await d.engine.run();
    const firstId = await deviceIdOf(d.db);
    // A later sync does not bring its own chunks back…
    server.requests.length = 0;
    expect(await d.engine.run()).toMatchObject({ status: 'synced', pulled: 0 });
    await forgetMember(d.db, 'member1');
    const secondId = await deviceIdOf(d.db);
    expect(secondId).not.toBe(firstId);
    // …but after sign-out and sign-in, everything returns, readings included.
    await setOwner(d.db, 'member1');
    expect(await d.engine.run()).toMatchObject({ status: 'synced' });
    expect(await d.storage.sessions.readings(mine.syncId!)).toEqual(readings);
  });
});
