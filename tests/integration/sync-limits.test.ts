import { describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type Mutation } from '../../core/sync';
import { liveSession, pushBody, recordedSession, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// A server with a tiny quota and tombstones purged at once (SYNC_TOMBSTONE_DAYS=0).
const QUOTA = 40_000;
const server = useTestServer({ env: { SYNC_QUOTA_BYTES: String(QUOTA), SYNC_TOMBSTONE_DAYS: '0' } });

type Device = ReturnType<typeof client> & { deviceId: string };

async function member() {
  const m = newMember('lim');
  expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
  return async (deviceId: string): Promise<Device> => {
    const c = client(server.url);
    expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    return Object.assign(c, { deviceId });
  };
}

async function push(d: Device, mutations: Mutation[]) {
  const r = await d.post('/api/v1/sync/push', pushBody(d.deviceId, mutations));
  expect(r.status, r.text).toBe(200);
  return PushResponseSchema.parse(r.body);
}

async function pull(d: Device, cursor: string | null, limit = 200) {
  const r = await d.get(`/api/v1/sync/pull?${new URLSearchParams({ protocol: '1', deviceId: d.deviceId, cursor: cursor ?? '', limit: String(limit) })}`);
  expect(r.status, r.text).toBe(200);
  return PullResponseSchema.parse(r.body);
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('sync limits', () => {
  it('refuses pushes beyond the storage quota with quota_exceeded; deleting frees space', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const sessions = [];
    let refused: Awaited<ReturnType<typeof push>> | null = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const rec = await recordedSession(Date.now() - (i + 2) * 3600_000, phone.deviceId, 100 + i);
      const res = await push(phone, rec.mutations);
      if (res.results.some((r) => r.status === 'rejected')) refused = res;
      else sessions.push(rec);
    }
    expect(sessions.length).toBeGreaterThan(0);
    expect(refused).not.toBeNull();
    const codes = new Set(refused!.results.map((r) => r.code));
    expect(codes).toContain('quota_exceeded');
    expect([...codes].every((c) => c === 'quota_exceeded' || c === 'batch_aborted')).toBe(true);
    expect(refused!.results.find((r) => r.code === 'quota_exceeded')!.message).toMatch(/storage is full/i);

    // Nothing of the refused batch was stored.
    const all = await pull(phone, null, 1000);
    expect(all.changes.filter((c) => c.kind === 'session')).toHaveLength(sessions.length);

    // Deleting a workout frees its chunks; the next session then fits.
    const del: Mutation = { id: uuid(), type: 'session.delete', sessionId: sessions[0]!.session.id, hlc: stamp(Date.now(), phone.deviceId) };
    expect((await push(phone, [del])).results[0]!.status).toBe('applied');
    const next = await recordedSession(Date.now() - 30 * 3600_000, phone.deviceId, 999);
    expect((await push(phone, next.mutations)).results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('a device whose cursor predates a purged tombstone gets reset, and deleted sessions do not come back', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const tablet = await device('tablet-b2');
    const t = Date.now() - 3600_000;
    const keep = liveSession({ startedAt: t, deviceId: phone.deviceId, title: 'keep' });
    const gone = liveSession({ startedAt: t + 1, deviceId: phone.deviceId, title: 'gone' });
    await push(phone, [upsert(keep), upsert(gone)]);
    const tabletCursor = (await pull(tablet, null)).cursor; // the tablet saw both, then went offline

    await push(phone, [{ id: uuid(), type: 'session.delete', sessionId: gone.id, hlc: stamp(Date.now(), phone.deviceId) }]);
    const afterDelete = await pull(phone, null);
    expect(afterDelete.changes).toContainEqual({ kind: 'session', record: expect.objectContaining({ kind: 'tombstone', id: gone.id }) });
    await tick();
    // The next write purges the expired tombstone (retention 0 days).
    await push(phone, [{ id: uuid(), type: 'session.patch', sessionId: keep.id, field: 'notes', value: 'n', hlc: stamp(Date.now(), phone.deviceId) }]);
    const fresh = await pull(phone, null);
    expect(fresh.reset).toBeUndefined();
    expect(fresh.changes.map((c) => (c.kind === 'session' ? c.record.id : ''))).toEqual([keep.id]);

    // The tablet's old cursor could miss the delete: reset, from the beginning, page by page.
    const first = await pull(tablet, tabletCursor, 1);
    expect(first.reset).toBe(true);
    const seen = first.changes.map((c) => (c.kind === 'session' ? c.record.id : ''));
    let cursor = first.cursor;
    let more = first.hasMore;
    while (more) {
      const page = await pull(tablet, cursor, 1);
      expect(page.reset).toBeUndefined(); // the walk itself is not reset again
      seen.push(...page.changes.map((c) => (c.kind === 'session' ? c.record.id : '')));
      cursor = page.cursor;
      more = page.hasMore;
    }
    expect(seen).toEqual([keep.id]);

    // A device that had already seen the tombstone is not reset.
    const uptodate = await pull(phone, afterDelete.cursor);
    expect(uptodate.reset).toBeUndefined();

    // Once purged, the session is unknown to the server: a late edit does not recreate it.
    const edit: Mutation = { id: uuid(), type: 'session.patch', sessionId: gone.id, field: 'title', value: 'back?', hlc: stamp(Date.now(), tablet.deviceId) };
    expect((await push(tablet, [edit])).results[0]).toMatchObject({ status: 'rejected', code: 'unknown_session' });
  });
});
