/**
 * The member's documents (docs/sync-protocol.md §8) through a real PocketBase: racing profile
 * edits from two devices, through two server processes, all land, merged per field (the one sync_docs row is never updated by
 * a read-modify-write that could lose a field); a deleted plan stays deleted; protocol 1 clients
 * keep syncing sessions and never see a document; an app updated to protocol 2 gets the
 * documents its protocol 1 pulls skipped.
 */
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, PullResponseSchema, PushResponseSchema, type Change, type Mutation } from '../../core/sync';
import { liveSession, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { startSyncServer } from '../support/sync-server';
import { useTestServer } from '../support/test-server';

const server = useTestServer();

type Device = ReturnType<typeof client> & { deviceId: string };

async function member() {
  const m = newMember('docs');
  expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
  return async (deviceId: string, base = server.url): Promise<Device> => {
    const c = client(base);
    expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: deviceId })).status).toBe(200);
    return Object.assign(c, { deviceId });
  };
}

async function push(d: Device, mutations: Mutation[], protocol = 2) {
  const r = await d.post('/api/v1/sync/push', { protocol, deviceId: d.deviceId, mutations });
  expect(r.status, r.text).toBe(200);
  return PushResponseSchema.parse(r.body);
}

async function pull(d: Device, cursor: string | null, protocol: number, kinds = 'sessions') {
  const r = await d.get(`/api/v1/sync/pull?${new URLSearchParams({ protocol: String(protocol), deviceId: d.deviceId, cursor: cursor ?? '', kinds })}`);
  expect(r.status, r.text).toBe(200);
  return PullResponseSchema.parse(r.body);
}

const profilePatch = (d: Device, ms: number, values: Record<string, unknown>): Mutation =>
  ({ id: uuid(), type: 'doc.patch', doc: 'profile', docId: 'profile', values, hlc: stamp(ms, d.deviceId) }) as Mutation;
const docsOf = (changes: readonly Change[]) => changes.flatMap((c) => (c.kind === 'doc' ? [c.record] : []));

describe('sync documents (protocol 2) on PocketBase', () => {
  it('racing profile edits from two devices through two server processes all land, merged per field', async () => {
    const device = await member();
    const second = await startSyncServer({ pb: server.pb });
    try {
      const phone = await device('phone-a1');
      const tablet = await device('tablet-b2', second.url);
      const t = Date.now() - 10_000;
      // 12 edits at once, each its own push: every commit reads the row the previous one left,
      // or loses the head and plans again. The last writer of each field must win.
      const edits: [Device, number, Record<string, unknown>][] = [];
      for (let i = 0; i < 6; i++) {
        edits.push([phone, t + i * 10, { age: 30 + i }]);
        edits.push([tablet, t + i * 10 + 5, { restingHr: 50 + i }]);
      }
      edits.push([phone, t + 1000, { weightKg: 70 }], [tablet, t + 1001, { weightKg: 71 }]);
      const answers = await Promise.all(edits.map(([d, ms, values]) => push(d, [profilePatch(d, ms, values)])));
      expect(answers.every((a) => a.results[0]!.status === 'applied')).toBe(true);

      const laptop = await device('laptop-c3');
      const page = await pull(laptop, null, 2);
      const [profile] = docsOf(page.changes);
      expect(Object.fromEntries(Object.entries(profile!.fields).map(([k, v]) => [k, v.value]))).toEqual({ age: 35, restingHr: 55, weightKg: 71 });
      expect(profile!.fields['weightKg']!.hlc).toBe(stamp(t + 1001, tablet.deviceId));
    } finally {
      await second.stop();
    }
  });

  it('a deleted plan stays deleted: a later rename from an offline device is absorbed', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const tablet = await device('tablet-b2');
    const t = Date.now() - 10_000;
    const body = { v: 1, mode: 'stopwatch', name: '-' };
    await push(phone, [{ id: uuid(), type: 'doc.patch', doc: 'plan', docId: 'plan1', values: { name: 'Hills', body }, hlc: stamp(t, phone.deviceId) } as Mutation]);
    await push(tablet, [{ id: uuid(), type: 'doc.delete', doc: 'plan', docId: 'plan1', hlc: stamp(t + 10, tablet.deviceId) }]);
    const late = await push(phone, [{ id: uuid(), type: 'doc.patch', doc: 'plan', docId: 'plan1', values: { name: 'Hills 2' }, hlc: stamp(t + 20, phone.deviceId) } as Mutation]);
    expect(late.results[0]).toMatchObject({ status: 'applied', code: 'plan_deleted' });
    const docs = docsOf((await pull(await device('laptop-c3'), null, 2)).changes);
    expect(docs).toEqual([{ type: 'plan', id: 'plan1', fields: {}, deletedAt: stamp(t + 10, tablet.deviceId) }]);
  });

  it('protocol 1 keeps syncing sessions without documents; an updated app gets the documents it skipped', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const old = await device('old-app');
    const t = Date.now() - 10_000;
    const session = liveSession({ startedAt: t - 3600_000, deviceId: phone.deviceId });
    await push(phone, [upsert(session), profilePatch(phone, t, { age: 44 })]);

    // The old app pushes and pulls sessions as before; documents are left out of its pages.
    await push(old, [upsert(liveSession({ startedAt: t - 7200_000, deviceId: old.deviceId }))], 1);
    const v1 = await pull(old, null, 1, 'all');
    expect(v1.changes.map((c) => c.kind).sort()).toEqual(['session', 'session']);
    expect(v1.cursor.endsWith('.d')).toBe(false);
    // It cannot send a document.
    const refused = await old.post('/api/v1/sync/push', { protocol: 1, deviceId: old.deviceId, mutations: [profilePatch(old, t, { age: 1 })] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');

    // Updated in place, it pulls with its old cursor: a reset that brings the skipped profile.
    const v2 = await pull(old, v1.cursor, 2);
    expect(v2.reset).toBe(true);
    expect(docsOf(v2.changes).map((d) => d.fields['age']?.value)).toEqual([44]);
    expect(v2.cursor.endsWith('.d')).toBe(true);
    // From then on it moves on normally.
    const next = await pull(old, v2.cursor, 2);
    expect(next).toEqual({ cursor: v2.cursor, changes: [], hasMore: false });
    // A protocol the server does not speak is refused as such.
    const future = await old.get(`/api/v1/sync/pull?protocol=${PROTOCOL_VERSION + 1}&deviceId=${old.deviceId}&cursor=`);
    expect(future.body.error.code).toBe('unsupported_protocol');
  });
});
