import PocketBase from 'pocketbase';
import { describe, expect, it } from 'vitest';
import {
  decodeChunk,
  mergeSession,
  PROTOCOL_VERSION,
  PullResponseSchema,
  PushResponseSchema,
  type Change,
  type LiveSession,
  type Mutation,
  type SessionRecord,
} from '../../core/sync';
import { chunkPuts, hourOfReadings, liveSession, pushBody, recordedSession, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

const server = useTestServer();

type Device = ReturnType<typeof client> & { deviceId: string };

async function member() {
  const m = newMember('sync');
  expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
  return {
    m,
    async userId(): Promise<string> {
      return (await (await this.device('probe')).get('/api/v1/me')).body.id;
    },
    async device(deviceId: string): Promise<Device> {
      const c = client(server.url);
      expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: deviceId })).status).toBe(200);
      return Object.assign(c, { deviceId });
    },
  };
}

async function push(d: Device, mutations: Mutation[]) {
  const r = await d.post('/api/v1/sync/push', pushBody(d.deviceId, mutations));
  expect(r.status, r.text).toBe(200);
  return PushResponseSchema.parse(r.body);
}

async function pullPage(d: Device, cursor: string | null, limit?: number) {
  const q = new URLSearchParams({ protocol: '1', deviceId: d.deviceId, cursor: cursor ?? '' });
  if (limit) q.set('limit', String(limit));
  return d.get(`/api/v1/sync/pull?${q}`);
}

/** Pulls to the end, merging sessions like a client; returns state and the final cursor. */
async function pullAll(d: Device, cursor: string | null = null, limit?: number) {
  const sessions = new Map<string, SessionRecord>();
  const chunks = new Map<string, Extract<Change, { kind: 'chunk' }>>();
  let reset = false;
  let pages = 0;
  for (;;) {
    const r = await pullPage(d, cursor, limit);
    expect(r.status, r.text).toBe(200);
    const page = PullResponseSchema.parse(r.body);
    reset ||= page.reset === true;
    pages++;
    for (const ch of page.changes) {
      if (ch.kind === 'session') {
        const had = sessions.get(ch.record.id);
        sessions.set(ch.record.id, had ? mergeSession(had, ch.record) : ch.record);
      } else if (ch.kind === 'chunk') chunks.set(`${ch.sessionId}:${ch.index}`, ch);
    }
    cursor = page.cursor;
    if (!page.hasMore) return { sessions, chunks, cursor, reset, pages };
  }
}

describe('sync push and pull', () => {
  it('round-trips a recorded session with encoded chunks to another device', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const rec = await recordedSession(Date.now() - 2 * 3600_000, phone.deviceId, 1);
    const res = await push(phone, rec.mutations);
    expect(res.results.map((r) => r.status)).toEqual(rec.mutations.map(() => 'applied'));

    const laptop = await device('laptop-b2');
    const got = await pullAll(laptop, null, 5);
    expect(got.pages).toBeGreaterThan(2);
    expect(got.sessions.get(rec.session.id)).toEqual(rec.session);
    expect(got.chunks.size).toBe(12);
    const readings = [...got.chunks.values()]
      .sort((a, b) => a.index - b.index)
      .flatMap((ch) => {
        const d = decodeChunk(new Uint8Array(Buffer.from(ch.payload, 'base64')));
        if (!d.ok) throw new Error(d.error.message);
        return d.readings;
      });
    expect(readings).toEqual(rec.readings);
    // Nothing new: the cursor stays and the page is empty.
    const again = await pullPage(laptop, got.cursor);
    expect(again.body).toEqual({ cursor: got.cursor, changes: [], hasMore: false });
  });

  it('a replayed push changes nothing and says duplicate', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const rec = await recordedSession(Date.now() - 3600_000, phone.deviceId, 2, 600);
    const first = await push(phone, rec.mutations);
    const before = await pullAll(phone);
    const replay = await push(phone, rec.mutations);
    expect(replay.results.map((r) => r.status)).toEqual(rec.mutations.map(() => 'duplicate'));
    expect(replay.cursor).toBe(first.cursor);
    const after = await pullAll(phone, before.cursor);
    expect(after.sessions.size + after.chunks.size).toBe(0);
  });

  it('sealed chunks: same hash is a no-op, another hash is chunk_hash_mismatch, the stored copy stays', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const session = liveSession({ startedAt: Date.now() - 3600_000, deviceId: phone.deviceId });
    const [chunk] = await chunkPuts(session.id, hourOfReadings(session.startedAt, 3, 60), 60);
    await push(phone, [upsert(session), chunk!]);

    const sameBytesNewId = { ...chunk!, id: uuid() };
    expect((await push(phone, [sameBytesNewId])).results[0]).toEqual({ mutationId: sameBytesNewId.id, status: 'duplicate' });

    const [other] = await chunkPuts(session.id, hourOfReadings(session.startedAt, 4, 60), 60);
    const patch: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'title', value: 'Hills', hlc: stamp(Date.now(), phone.deviceId) };
    const res = await push(phone, [patch, other!]);
    expect(res.results[1]).toMatchObject({ mutationId: other!.id, status: 'rejected', code: 'chunk_hash_mismatch' });
    // All or nothing: the patch in the same batch was not applied.
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'batch_aborted' });
    const state = await pullAll(phone);
    expect(state.chunks.get(`${session.id}:0`)?.sha256).toBe(chunk!.sha256);
    expect((state.sessions.get(session.id) as LiveSession).title.value).toBe(session.title.value);

    // A payload that does not hash to its sha256 is chunk_corrupt.
    const lying = { ...other!, id: uuid(), index: 1, sha256: chunk!.sha256 };
    expect((await push(phone, [lying])).results[0]).toMatchObject({ status: 'rejected', code: 'chunk_corrupt' });
  });

  it('two devices: edits merge per field, a delete wins and stays deleted', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const tablet = await device('tablet-c3');
    const t0 = Date.now() - 60_000;
    const session = liveSession({ startedAt: t0 - 3600_000, deviceId: phone.deviceId, at: t0 });
    const puts = await chunkPuts(session.id, hourOfReadings(session.startedAt, 5, 600), 300);
    await push(phone, [upsert(session), ...puts]);
    const tabletCursor = (await pullAll(tablet)).cursor;

    // Offline edits on both devices; the tablet's title is older, its notes newer.
    const phoneTitle: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'title', value: 'Phone title', hlc: stamp(t0 + 2000, 'phone-a1') };
    const tabletTitle: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'title', value: 'Tablet title', hlc: stamp(t0 + 1000, 'tablet-c3') };
    const tabletNotes: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'notes', value: 'Felt strong', hlc: stamp(t0 + 3000, 'tablet-c3') };
    await push(tablet, [tabletTitle, tabletNotes]);
    await push(phone, [phoneTitle]);
    for (const d of [phone, tablet]) {
      const s = (await pullAll(d)).sessions.get(session.id) as LiveSession;
      expect(s.title.value).toBe('Phone title');
      expect(s.notes.value).toBe('Felt strong');
    }

    // A patch stamped by another device than the pusher is refused.
    const forged: Mutation = { ...tabletTitle, id: uuid() };
    expect((await push(phone, [forged])).results[0]).toMatchObject({ status: 'rejected', code: 'invalid_mutation' });

    const del: Mutation = { id: uuid(), type: 'session.delete', sessionId: session.id, hlc: stamp(t0 + 4000, 'phone-a1') };
    await push(phone, [del]);
    // The tablet edits later (by HLC) and re-upserts: the tombstone absorbs both.
    const late: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'title', value: 'Resurrected?', hlc: stamp(t0 + 9000, 'tablet-c3') };
    const res = await push(tablet, [late, upsert({ ...session, title: { value: 'x', hlc: stamp(t0 + 9001, 'tablet-c3') } })]);
    expect(res.results.map((r) => [r.status, r.code])).toEqual([
      ['applied', 'session_deleted'],
      ['applied', 'session_deleted'],
    ]);
    const late2 = await chunkPuts(session.id, hourOfReadings(session.startedAt, 6, 60), 60);
    expect((await push(tablet, [{ ...late2[0]!, index: 9 }])).results[0]).toMatchObject({ status: 'applied', code: 'session_deleted' });

    const fromOld = await pullAll(tablet, tabletCursor);
    expect(fromOld.sessions.get(session.id)).toEqual({ kind: 'tombstone', id: session.id, deletedAt: del.type === 'session.delete' ? del.hlc : '' });
    expect(fromOld.chunks.size).toBe(0);
    const fresh = await pullAll(await device('laptop-d4'));
    expect(fresh.sessions.get(session.id)?.kind).toBe('tombstone');
    expect(fresh.chunks.size).toBe(0);
  });

  it('rejects unknown sessions, immutable conflicts and clocks running ahead', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const session = liveSession({ startedAt: Date.now() - 3600_000, deviceId: phone.deviceId });
    const patch: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'tags', value: ['hill'], hlc: stamp(Date.now(), phone.deviceId) };
    expect((await push(phone, [patch])).results[0]).toMatchObject({ status: 'rejected', code: 'unknown_session' });
    await push(phone, [upsert(session)]);
    expect((await push(phone, [upsert({ ...session, startedAt: session.startedAt + 1 })])).results[0]).toMatchObject({ code: 'immutable_conflict' });
    const ahead: Mutation = { ...patch, id: uuid(), hlc: stamp(Date.now() + 3600_000, phone.deviceId) };
    expect((await push(phone, [ahead])).results[0]).toMatchObject({ status: 'rejected', code: 'clock_drift' });
    expect((await push(phone, [patch])).results[0]).toEqual({ mutationId: patch.id, status: 'applied' });
  });

  it('refuses malformed requests with the protocol codes', async () => {
    const { device } = await member();
    const phone = await device('phone-a1');
    const body = pushBody(phone.deviceId, [upsert(liveSession({ startedAt: 1, deviceId: phone.deviceId }))]);
    const cases: [unknown, number, string][] = [
      [{ ...body, protocol: PROTOCOL_VERSION + 1 }, 400, 'unsupported_protocol'],
      [{ ...body, extra: true }, 400, 'invalid_request'],
      [{ ...body, mutations: [] }, 400, 'invalid_request'],
      ['{not json', 400, 'invalid_request'],
    ];
    for (const [b, status, code] of cases) {
      const r = await phone.post('/api/v1/sync/push', b);
      expect([r.status, r.body.error.code]).toEqual([status, code]);
    }
    const tooBig = await phone.post('/api/v1/sync/push', { ...body, pad: 'x'.repeat(1_100_000) });
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, 'payload_too_large']);
    expect((await pullPage(phone, 'not-a-cursor')).body.error.code).toBe('stale_cursor');
    expect((await phone.get('/api/v1/sync/pull?protocol=1&deviceId=phone-a1&limit=5000')).body.error.code).toBe('invalid_request');
    expect((await phone.get(`/api/v1/sync/pull?protocol=${PROTOCOL_VERSION + 1}&deviceId=phone-a1`)).body.error.code).toBe('unsupported_protocol');
    const anonymous = Object.assign(client(server.url), { deviceId: 'x' });
    expect((await anonymous.post('/api/v1/sync/push', body)).status).toBe(401);
    expect((await pullPage(anonymous, null)).status).toBe(401);
  });

  it('another member learns nothing about ids it does not own (matrix)', async () => {
    const a = await (await member()).device('phone-a1');
    const b = await (await member()).device('phone-b1');
    const now = Date.now();
    const rec = await recordedSession(now - 3600_000, a.deviceId, 7, 1200);
    const aPush = await push(a, rec.mutations);
    const aState = await pullAll(a);
    const stranger = uuid();

    // Each probe is run against A's session id and against an id nobody has: B must get the
    // same answer for both, and A's data must not change.
    const probes: [string, (sid: string) => Promise<Mutation[]>][] = [
      ['patch', async (sid) => [{ id: uuid(), type: 'session.patch', sessionId: sid, field: 'title', value: 'mine', hlc: stamp(now, b.deviceId) }]],
      ['chunk.put', async (sid) => (await chunkPuts(sid, rec.readings.slice(0, 60), 60)).slice(0, 1)],
      ['sealed chunk with A’s hash', async (sid) => [{ ...(rec.mutations[1] as Extract<Mutation, { type: 'chunk.put' }>), id: uuid(), sessionId: sid }]],
      ['delete', async (sid) => [{ id: uuid(), type: 'session.delete', sessionId: sid, hlc: stamp(now, b.deviceId) }]],
      ['upsert with other immutables', async (sid) => [upsert({ ...liveSession({ startedAt: 5, deviceId: b.deviceId }), id: sid })]],
      ['replay of A’s mutation ids', async () => rec.mutations.slice(0, 1)],
    ];
    const fresh = async () => (await member()).device('phone-b');
    for (const [name, make] of probes) {
      const [b1, b2] = await Promise.all([fresh(), fresh()]);
      const onA = (await push(b1, await make(rec.session.id))).results.map((r) => [r.status, r.code]);
      const onNobody = (await push(b2, await make(stranger))).results.map((r) => [r.status, r.code]);
      expect(onA, name).toEqual(onNobody);
    }
    // A's cursor is meaningless to B (stale_cursor, as for garbage), and B's pull shows only B's rows.
    const viaB = await pullPage(b, aPush.cursor);
    expect([viaB.status, viaB.body.error.code]).toEqual([409, 'stale_cursor']);
    expect((await pullAll(b)).sessions.size).toBe(0);
    const aAfter = await pullAll(a);
    expect(aAfter.sessions).toEqual(aState.sessions);
    expect(aAfter.chunks).toEqual(aState.chunks);
    expect(aAfter.sessions.get(rec.session.id)).toEqual(rec.session);
  });

  it('deleting the account removes every synced row (relations cascade)', async () => {
    const owner = await member();
    const phone = await owner.device('phone-a1');
    const rec = await recordedSession(Date.now() - 3600_000, phone.deviceId, 8, 900);
    await push(phone, rec.mutations);
    const userId = await owner.userId();
    const admin = new PocketBase(server.pb.url);
    await admin.collection('_superusers').authWithPassword(server.pb.superuser.email, server.pb.superuser.password);
    const collections = ['sync_members', 'sync_commits', 'sync_sessions', 'sync_chunks', 'sync_mutations'];
    const counts = () =>
      Promise.all(collections.map((c) => admin.collection(c).getList(1, 1, { filter: admin.filter('member = {:m}', { m: userId }) }).then((r) => r.totalItems)));
    expect(await counts()).toEqual([1, 1, 1, 4, 5]);
    expect((await phone.del('/api/v1/me', { password: owner.m.password })).status).toBe(204);
    expect(await counts()).toEqual([0, 0, 0, 0, 0]);
  });
});
