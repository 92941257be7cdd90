import { describe, expect, it } from 'vitest';
import { decodeChunk, PROTOCOL_VERSION, PullResponseSchema, PushResponseSchema, SessionChunksResponseSchema, type Mutation, type Change, type PullKinds } from '../../core/sync';
import { chunkPuts, hourOfReadings, liveSession, pushBody, recordedSession, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// docs/sync-protocol.md §3 "Two streams": a new device pulls the metadata stream first (its
// history list fills at once), the readings stream after it, and the readings of one workout
// on demand when it is opened. Tombstones are purged at once here (SYNC_TOMBSTONE_DAYS=0) so
// the reset rules of each stream can be seen.
const server = useTestServer({ env: { SYNC_TOMBSTONE_DAYS: '0' } });

type Device = ReturnType<typeof client> & { deviceId: string };

async function member() {
  const m = newMember('streams');
  expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
  return async (deviceId: string): Promise<Device> => {
    const c = client(server.url);
    expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: deviceId })).status).toBe(200);
    return Object.assign(c, { deviceId });
  };
}

async function push(d: Device, mutations: Mutation[]) {
  const r = await d.post('/api/v1/sync/push', pushBody(d.deviceId, mutations));
  expect(r.status, r.text).toBe(200);
  return PushResponseSchema.parse(r.body);
}

async function pull(d: Device, cursor: string | null, kinds?: PullKinds, limit?: number, own?: 'include' | 'omit') {
  const q = new URLSearchParams({ protocol: '1', deviceId: d.deviceId, cursor: cursor ?? '' });
  if (kinds) q.set('kinds', kinds);
  if (own) q.set('own', own);
  if (limit) q.set('limit', String(limit));
  const r = await d.get(`/api/v1/sync/pull?${q}`);
  expect(r.status, r.text).toBe(200);
  return PullResponseSchema.parse(r.body);
}

async function pullAll(d: Device, cursor: string | null, kinds?: PullKinds, limit?: number, own?: 'include' | 'omit') {
  const changes: Change[] = [];
  let reset = false;
  for (;;) {
    const page = await pull(d, cursor, kinds, limit, own);
    changes.push(...page.changes);
    reset ||= page.reset === true;
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, reset };
  }
}

const sessionChunksUrl = (d: Device, id: string, query: Record<string, string> = {}) =>
  `/api/v1/sync/sessions/${id}/chunks?${new URLSearchParams({ protocol: '1', deviceId: d.deviceId, ...query })}`;

describe('metadata first, readings after', () => {
  it('the sessions stream carries only sessions, the chunks stream only chunks, together all of it', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const t = Date.now() - 5 * 3600_000;
    const recs = [await recordedSession(t, phone.deviceId, 11, 600), await recordedSession(t + 3600_000, phone.deviceId, 12, 600)];
    for (const rec of recs) await push(phone, rec.mutations);

    const tablet = await device('tablet-b2');
    const meta = await pullAll(tablet, null, 'sessions', 1);
    expect(meta.changes.map((c) => c.kind)).toEqual(['session', 'session']);
    expect(meta.changes.map((c) => (c.kind === 'session' ? c.record : null))).toEqual(expect.arrayContaining(recs.map((r) => r.session)));

    const samples = await pullAll(tablet, null, 'chunks', 5);
    expect(samples.changes.every((c) => c.kind === 'chunk')).toBe(true);
    const all = await pullAll(tablet, null, 'all');
    expect(samples.changes.length + meta.changes.length).toBe(all.changes.length);
    expect(new Set(samples.changes.map((c) => (c.kind === 'chunk' ? c.sha256 : '')))).toEqual(
      new Set(all.changes.flatMap((c) => (c.kind === 'chunk' ? [c.sha256] : []))),
    );

    // A rename moves only the metadata stream; new readings only the chunk stream.
    const rename: Mutation = { id: uuid(), type: 'session.patch', sessionId: recs[0]!.session.id, field: 'title', value: 'Renamed', hlc: stamp(Date.now(), phone.deviceId) };
    await push(phone, [rename]);
    const metaNext = await pull(tablet, meta.cursor, 'sessions');
    expect(metaNext.changes).toEqual([{ kind: 'session', record: expect.objectContaining({ id: recs[0]!.session.id, title: expect.objectContaining({ value: 'Renamed' }) }) }]);
    expect((await pull(tablet, samples.cursor, 'chunks')).changes).toEqual([]);

    const live = liveSession({ startedAt: Date.now() - 600_000, deviceId: phone.deviceId });
    const puts = await chunkPuts(live.id, hourOfReadings(live.startedAt, 13, 120), 60);
    await push(phone, [upsert(live), ...puts]);
    const samplesNext = await pull(tablet, samples.cursor, 'chunks');
    expect(samplesNext.changes.map((c) => (c.kind === 'chunk' ? [c.sessionId, c.index] : null))).toEqual([
      [live.id, 0],
      [live.id, 1],
    ]);
  });

  it('one workout’s readings on demand, in index order and pages, equal to what was recorded', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const rec = await recordedSession(Date.now() - 3 * 3600_000, phone.deviceId, 21, 300);
    await push(phone, rec.mutations);
    const tablet = await device('tablet-b2');

    const indexes: number[] = [];
    const payloads: string[] = [];
    let from = 0;
    for (let pages = 0; ; pages++) {
      const r = await tablet.get(sessionChunksUrl(tablet, rec.session.id, { from: String(from), limit: '5' }));
      expect(r.status, r.text).toBe(200);
      const page = SessionChunksResponseSchema.parse(r.body);
      expect(page.sessionId).toBe(rec.session.id);
      indexes.push(...page.changes.map((c) => c.index));
      payloads.push(...page.changes.map((c) => c.payload));
      if (!page.hasMore) {
        expect(pages).toBeGreaterThan(1);
        break;
      }
      from = page.changes.at(-1)!.index + 1;
    }
    expect(indexes).toEqual([...Array(12).keys()]);
    const readings = payloads.flatMap((p) => {
      const d = decodeChunk(new Uint8Array(Buffer.from(p, 'base64')));
      if (!d.ok) throw new Error(d.error.message);
      return d.readings;
    });
    expect(readings).toEqual(rec.readings);
  });

  it('on-demand readings: 404 for a deleted workout, another member’s or an unknown id alike; bad queries are 400', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const rec = await recordedSession(Date.now() - 3 * 3600_000, phone.deviceId, 31, 600);
    const gone = await recordedSession(Date.now() - 6 * 3600_000, phone.deviceId, 32, 600);
    await push(phone, [...rec.mutations, ...gone.mutations]);
    await push(phone, [{ id: uuid(), type: 'session.delete', sessionId: gone.session.id, hlc: stamp(Date.now(), phone.deviceId) }]);

    const stranger = await (await member())('phone-z9');
    const notFound = async (d: Device, id: string) => {
      const r = await d.get(sessionChunksUrl(d, id));
      expect([r.status, r.body.error?.code], `${d.deviceId} ${id}`).toEqual([404, 'not_found']);
      return r.body.error.message;
    };
    const messages = [
      await notFound(phone, gone.session.id),
      await notFound(stranger, rec.session.id),
      await notFound(stranger, uuid()),
      await notFound(phone, 'not-a-uuid'),
    ];
    expect(new Set(messages).size).toBe(1);

    const bad = await phone.get(sessionChunksUrl(phone, rec.session.id, { from: '-1' }));
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
    const extra = await phone.get(sessionChunksUrl(phone, rec.session.id, { after: '3' }));
    expect([extra.status, extra.body.error.code]).toEqual([400, 'invalid_request']);
    // The next protocol, which this server does not speak yet.
    const protocol = await phone.get(sessionChunksUrl(phone, rec.session.id, { protocol: String(PROTOCOL_VERSION + 1) }));
    expect([protocol.status, protocol.body.error.code]).toEqual([400, 'unsupported_protocol']);
    const kinds = await phone.get(`/api/v1/sync/pull?protocol=1&deviceId=x&kinds=everything`);
    expect([kinds.status, kinds.body.error.code]).toEqual([400, 'invalid_request']);
    const anonymous = client(server.url);
    expect((await anonymous.get(`/api/v1/sync/sessions/${rec.session.id}/chunks?protocol=1&deviceId=x`)).status).toBe(401);
    // The owner still gets the live workout.
    expect((await phone.get(sessionChunksUrl(phone, rec.session.id))).status).toBe(200);
  });

  it('a purge resets an old metadata cursor but not a chunk cursor; nothing deleted comes back on either', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const tablet = await device('tablet-b2');
    const t = Date.now() - 8 * 3600_000;
    const keep = await recordedSession(t, phone.deviceId, 41, 600);
    const gone = await recordedSession(t + 3600_000, phone.deviceId, 42, 600);
    await push(phone, [...keep.mutations, ...gone.mutations]);
    const oldMeta = (await pullAll(tablet, null, 'sessions')).cursor;
    const oldSamples = (await pullAll(tablet, null, 'chunks')).cursor;

    await push(phone, [{ id: uuid(), type: 'session.delete', sessionId: gone.session.id, hlc: stamp(Date.now(), phone.deviceId) }]);
    await new Promise((r) => setTimeout(r, 5));
    // The next write purges the expired tombstone (retention 0 days).
    await push(phone, [{ id: uuid(), type: 'session.patch', sessionId: keep.session.id, field: 'notes', value: 'n', hlc: stamp(Date.now(), phone.deviceId) }]);

    const meta = await pullAll(tablet, oldMeta, 'sessions');
    expect(meta.reset).toBe(true);
    expect(meta.changes.map((c) => (c.kind === 'session' ? c.record.id : ''))).toEqual([keep.session.id]);
    const samples = await pullAll(tablet, oldSamples, 'chunks');
    expect(samples.reset).toBe(false);
    expect(samples.changes).toEqual([]);
    // From the beginning, the readings of the deleted workout are gone too.
    const fresh = await pullAll(tablet, null, 'chunks');
    expect(new Set(fresh.changes.map((c) => (c.kind === 'chunk' ? c.sessionId : '')))).toEqual(new Set([keep.session.id]));
  });

  it('own=omit: a device is not sent back the chunks it pushed; without it, everything comes', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const tablet = await device('tablet-b2');
    const before = { phone: (await pullAll(phone, null, 'all')).cursor, tablet: (await pullAll(tablet, null, 'all')).cursor };
    const fromPhone = await recordedSession(Date.now() - 9 * 3600_000, phone.deviceId, 51, 600);
    const fromTablet = await recordedSession(Date.now() - 7 * 3600_000, tablet.deviceId, 52, 600);
    await push(phone, fromPhone.mutations);
    await push(tablet, fromTablet.mutations);

    const chunkSessions = (changes: Change[]) => changes.flatMap((c) => (c.kind === 'chunk' ? [c.sessionId] : []));
    for (const kinds of ['all', 'chunks'] as const) {
      for (const cursor of [before.phone, null]) {
        // The phone gets the tablet's chunks only, in pages, and both session rows.
        const phoneNext = await pullAll(phone, cursor, kinds, 4, 'omit');
        expect(chunkSessions(phoneNext.changes)).toEqual(Array(6).fill(fromTablet.session.id));
        if (kinds === 'all') {
          const sessions = phoneNext.changes.flatMap((c) => (c.kind === 'session' ? [c.record.id] : []));
          expect(new Set(sessions)).toEqual(new Set([fromPhone.session.id, fromTablet.session.id]));
        }
        // Nothing is skipped for good: the cursor ends where everyone's does.
        expect(phoneNext.cursor).toBe((await pullAll(tablet, before.tablet, kinds)).cursor);
      }
      const tabletNext = await pullAll(tablet, before.tablet, kinds, 4, 'omit');
      expect(chunkSessions(tabletNext.changes)).toEqual(Array(6).fill(fromPhone.session.id));
    }
    // Without own=omit (an older app, or `include`), every chunk comes.
    for (const own of [undefined, 'include'] as const) {
      expect(chunkSessions((await pullAll(phone, null, 'chunks', undefined, own)).changes)).toHaveLength(12);
    }
    const bad = await phone.get(`/api/v1/sync/pull?protocol=1&deviceId=${phone.deviceId}&own=never`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
