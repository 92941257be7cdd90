import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { LiveSession } from '$core/sync';
import { seedSession } from '$lib/history/sample-sessions';
import { createStorage } from './index';
import { DB_VERSIONS, type SessionRow } from './schema';
import { factsFromRow, factsRowOf } from './session-facts';

let n = 0;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 28, 12);
const row = (i: number, o: Partial<SessionRow> = {}): SessionRow => ({
  ...seedSession({ id: `s${String(i).padStart(14, '0')}`, title: `W${i}`, startedAt: NOW - i * DAY, withoutReadings: true }).session,
  tzOffsetMinutes: 60,
  ...o,
});
const offset = () => 60;

describe('summary index (database version 4)', () => {
  it('fills the index for rows stored by version 3 (the upgrade), leaving out unfinished sessions', async () => {
    const name = `facts-upgrade-${n++}`;
    const old = new Dexie(name);
    for (const v of DB_VERSIONS.filter((v) => v.version <= 3)) {
      const version = old.version(v.version).stores(v.stores);
      if (v.upgrade) version.upgrade(v.upgrade);
    }
    const rows = [row(1), row(2, { tzOffsetMinutes: undefined }), row(3, { status: 'recording', summary: null, endedAt: null })];
    await old.table('sessions').bulkPut(rows);
    expect(old.verno).toBe(3);
    old.close();

    const storage = createStorage({ name });
    expect(await storage.db().sessionFacts.get(rows[0]!.id)).toEqual(factsRowOf(rows[0]!));
    expect(await storage.db().sessionFacts.count()).toBe(2);
    const facts = await storage.sessions.progressFacts(offset);
    expect(facts.map((f) => f.id).sort()).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(facts.find((f) => f.id === rows[1]!.id)!.tzOffsetMinutes).toBe(60);
    expect(storage.db().verno).toBe(DB_VERSIONS.at(-1)!.version);
  });

  it('follows every write: add, finish, title edit, sync record, recomputation, delete', async () => {
    const storage = createStorage({ name: `facts-writes-${n++}` });
    const db = storage.db();
    const facts = () => storage.sessions.progressFacts(offset);
    const recording = row(1, { status: 'recording', summary: null, endedAt: null });
    await db.sessions.add(recording);
    expect(await facts()).toEqual([]);

    // Finished by the recorder (an update of the row).
    const done = row(1);
    await db.sessions.update(recording.id, { status: 'finished', summary: done.summary, endedAt: done.endedAt });
    expect((await facts()).map((f) => [f.id, f.title, f.durationMs])).toEqual([[done.id, 'W1', done.summary!.durationMs]]);

    // Edited title (the store's own edit path, with its outbox row).
    expect(await storage.sessions.update(done.id, { title: 'Renamed' })).toBe('updated');
    expect((await facts())[0]!.title).toBe('Renamed');

    // Synced: the wire id becomes the address; the execution record's figures come first.
    const execution = { summary: { ...done.summary!, durationMs: 111, intervals: [] }, tzOffsetMinutes: -300 };
    await db.sessions.where('id').equals(done.id).modify((r) => {
      r.syncId = '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f';
      r.record = { execution } as unknown as LiveSession;
    });
    expect(await facts()).toMatchObject([{ id: '0190f6d2-8a4b-7c3d-9e1f-2a3b4c5d6e7f', durationMs: 111, tzOffsetMinutes: -300 }]);

    // Recomputed with another profile (what recomputeSession writes).
    const recomputed = { value: { profile: done.profile, summary: { ...done.summary!, durationMs: 222, intervals: [] } } };
    await db.sessions.update(done.id, { record: { execution, recomputed } as unknown as LiveSession });
    expect((await facts())[0]!.durationMs).toBe(222);

    // Pulled rows (bulkPut) and a put of a whole row.
    await db.sessions.bulkPut([row(2), row(3)]);
    await db.sessions.put({ ...row(3), title: 'Put again' });
    expect((await facts()).map((f) => f.title)).toEqual(['Put again', 'W2', 'Renamed']);

    expect(await storage.sessions.delete(row(2).id)).toBe('deleted');
    expect((await facts()).map((f) => f.title)).toEqual(['Put again', 'Renamed']);
    // A finished session put back to recording (as a resumed Stop) leaves the index; a clear empties it.
    await db.sessions.update(row(3).id, { status: 'recording' });
    expect((await facts()).map((f) => f.title)).toEqual(['Renamed']);
    await db.sessions.clear();
    expect(await db.sessionFacts.count()).toBe(0);
  });

  it('a write that fails leaves the index as it was (one transaction)', async () => {
    const storage = createStorage({ name: `facts-abort-${n++}` });
    const db = storage.db();
    await db.sessions.put(row(1));
    await expect(
      db.transaction('rw', db.sessions, async () => {
        await db.sessions.put({ ...row(1), title: 'Not kept' });
        await db.sessions.put(row(2));
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect((await storage.sessions.progressFacts(offset)).map((f) => f.title)).toEqual(['W1']);
  });

  it('reads an index row back to the facts it was made of; a row it cannot read is skipped', () => {
    const r = row(5, { tzOffsetMinutes: undefined });
    const f = factsFromRow(factsRowOf(r)!, () => 330)!;
    expect(f).toMatchObject({ id: r.id, title: 'W5', startedAt: r.startedAt, tzOffsetMinutes: 330, durationMs: r.summary!.durationMs, maxBpm: r.summary!.heartRate!.maxBpm });
    expect(JSON.stringify(factsRowOf(r)).length).toBeLessThan(JSON.stringify(r).length / 10);
    expect(factsFromRow({ id: 'x', startedAt: 1, f: null } as never, offset)).toBeNull();
  });
});
