import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { HRM_ROUTES } from '../../../sync-server/src/pocketbase/hrm-routes';
import { startTestPocketBase } from '../../support/pocketbase';
import { roomWithParticipants } from '../../support/room-participants';
import { startSyncServer } from '../../support/sync-server';
import { newMember, useStoreDb } from './store-db';

// The presence route inside PocketBase (pb_hooks/room_presence.pb.js). The room store's contract
// (room-store.pb.test.ts) covers what the store promises through it; this file covers the route's
// own edges: who may call it, what it refuses, its size limit, and a PocketBase without it.
const s = useStoreDb();

const participants = async (n: number) => roomWithParticipants(s.admin, await newMember(s.admin), n);

const post = (pb: PocketBase, body: unknown) => pb.send(HRM_ROUTES.roomPresence, { method: 'POST', body, requestKey: null });
const status = (p: Promise<unknown>) => p.then(() => 204, (e: unknown) => (e instanceof ClientResponseError ? e.status : -1));

describe('the presence route (pb_hooks/room_presence.pb.js)', () => {
  it('creates and updates up to 1000 rows in one call; a call over the limit writes nothing', async () => {
    const { store, ids } = await participants(3);
    const many = Array.from({ length: 997 }, (_, i) => ({ id: `zz${String(i).padStart(13, '0')}`, at: 5 })); // no such participants
    expect(await status(post(s.admin, { rows: [...ids.map((id) => ({ id, at: 10 })), ...many] }))).toBe(204);
    for (const id of ids) expect((await store.participant(id))?.last_seen).toBe(10);
    expect(await s.admin.collection('room_presence').getList(1, 1, { filter: 'id ~ "zz"' })).toMatchObject({ totalItems: 0 });
    expect(await status(post(s.admin, { rows: [...ids.map((id) => ({ id, at: 20 })), ...many, { id: ids[0], at: 20 }] }))).toBe(400);
    for (const id of ids) expect((await store.participant(id))?.last_seen).toBe(10);
    expect(await status(post(s.admin, { rows: ids.map((id) => ({ id, at: 30 })) }))).toBe(204);
    for (const id of ids) expect((await store.participant(id))?.last_seen).toBe(30);
  });

  it('refuses a bad row with a 400 that says what a row is, and writes none of the call', async () => {
    const { store, ids } = await participants(1);
    await store.touchParticipants([{ id: ids[0]!, at: 7 }]);
    for (const bad of [{ id: 'short', at: 8 }, { id: ids[0], at: 1.5 }, { id: ids[0], at: -1 }, { id: ids[0] }, null]) {
      const e = await post(s.admin, { rows: [{ id: ids[0], at: 8 }, bad] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ClientResponseError);
      expect((e as ClientResponseError).status).toBe(400);
      expect((e as ClientResponseError).message).toMatch(/each row must be \{id: a record id, at: a whole number of ms\}/i);
    }
    expect(await status(post(s.admin, { rows: 'all' }))).toBe(400);
    expect(await status(post(s.admin, {}))).toBe(400);
    expect((await store.participant(ids[0]!))?.last_seen).toBe(7);
  });

  it('answers only a superuser: anonymous 401, a member 403', async () => {
    const { ids } = await participants(1);
    const anon = new PocketBase(s.pb.url);
    expect(await status(post(anon, { rows: [{ id: ids[0], at: 9 }] }))).toBe(401);
    const password = 'correct horse battery staple';
    const email = `route-${ids[0]}@hrm.localhost`;
    await s.admin.collection('users').create({ email, password, passwordConfirm: password, name: 'M', verified: true });
    const member = new PocketBase(s.pb.url);
    await member.collection('users').authWithPassword(email, password);
    expect(await status(post(member, { rows: [{ id: ids[0], at: 9 }] }))).toBe(403);
    expect(await s.admin.collection('room_presence').getList(1, 1, { filter: `id = "${ids[0]}"` })).toMatchObject({ totalItems: 0 });
  });
});

describe('a PocketBase without HRM routes', () => {
  it('stops the sync server at start, naming the flag to add', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'hrm-no-hooks-'));
    const pb = await startTestPocketBase({ hooksDir: empty });
    try {
      const server = await startSyncServer({ pb, waitHealthy: false });
      expect(await server.exited).toBe(1);
      expect(server.logs()).toMatch(/PocketBase lacks HRM's routes/);
      expect(server.logs()).toMatch(/--hooksDir=\S*pb_hooks/);
    } finally {
      await pb.dispose();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
