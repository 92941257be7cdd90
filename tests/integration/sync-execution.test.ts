/**
 * Protocol 3 (docs/sync-protocol.md §9) through a real PocketBase: a session's execution record
 * round-trips to another device as pushed, even one larger than the 64 KB the stored record was
 * limited to before; a protocol 2 client still syncs the session without it (its strict schema
 * would refuse the field), may edit it without losing the record, and may not send one; an
 * updated app starts its metadata pull over; a recomputation is a last-writer-wins edit.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, PullResponseSchema, PushResponseSchema, type LiveSession, type Mutation } from '../../core/sync';
import { executedWorkout } from '../../core/workout/testing/executed-workout';
import { liveSession, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

const server = useTestServer();

type Device = ReturnType<typeof client> & { deviceId: string };

async function member() {
  const m = newMember('exec');
  expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
  return async (deviceId: string): Promise<Device> => {
    const c = client(server.url);
    expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: deviceId })).status).toBe(200);
    return Object.assign(c, { deviceId });
  };
}

async function push(d: Device, mutations: Mutation[], protocol: number) {
  return d.post('/api/v1/sync/push', { protocol, deviceId: d.deviceId, mutations });
}

async function pullSessions(d: Device, protocol: number, cursor = '') {
  const r = await d.get(`/api/v1/sync/pull?${new URLSearchParams({ protocol: String(protocol), deviceId: d.deviceId, cursor, kinds: 'sessions' })}`);
  expect(r.status, r.text).toBe(200);
  // The raw body, so a field a strict old schema would refuse cannot hide behind parsing.
  const body = r.body as { cursor: string; reset?: true; changes: Array<{ kind: string; record: LiveSession }> };
  PullResponseSchema.parse(body);
  return { cursor: body.cursor, reset: body.reset === true, sessions: body.changes.filter((c) => c.kind === 'session').map((c) => c.record) };
}

async function sessionsPulled(d: Device, protocol: number): Promise<LiveSession[]> {
  return (await pullSessions(d, protocol)).sessions;
}

function recorded(deviceId: string, rounds: number): LiveSession {
  const startedAt = Date.now() - 3 * 3600_000;
  const w = executedWorkout({ startedAt, rounds, stopAfterMs: rounds * 30_000 + 30_000 });
  return {
    ...liveSession({ startedAt, deviceId, title: 'Long Tabata' }),
    plan: { planId: 'intervals', name: 'Tabata' },
    summary: { endedAt: w.endedAt, durationMs: w.endedAt - startedAt, readingCount: w.readings.length, avgBpm: 150, maxBpm: 175, energyKj: null },
    execution: w.execution,
  };
}

describe('session execution records (protocol 3) on PocketBase', () => {
  it('round-trips a record larger than the old 64 KB limit to another device', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const session = recorded(phone.deviceId, 150);
    expect(JSON.stringify(session).length).toBeGreaterThan(65_536);
    const r = await push(phone, [upsert(session)], 3);
    expect(r.status, r.text).toBe(200);
    expect(PushResponseSchema.parse(r.body).results.map((x) => x.status)).toEqual(['applied']);

    const laptop = await device('laptop-b2');
    const [pulled] = await sessionsPulled(laptop, 3);
    expect(canonicalJson(pulled)).toBe(canonicalJson(session));
  });

  it('a protocol 2 client syncs the session without the record, edits it without losing it, and may not send one', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const session = recorded(phone.deviceId, 4);
    expect((await push(phone, [upsert(session)], 3)).status).toBe(200);

    const old = await device('old-tablet');
    const [seen] = await sessionsPulled(old, 2);
    expect(seen!.id).toBe(session.id);
    expect('execution' in seen!).toBe(false);
    expect(seen!.summary).toEqual(session.summary);

    const rename: Mutation = { id: uuid(), type: 'session.patch', sessionId: session.id, field: 'title', value: 'Renamed on the tablet', hlc: stamp(Date.now(), old.deviceId) };
    const renamed = await push(old, [rename], 2);
    expect(PushResponseSchema.parse(renamed.body).results[0]!.status).toBe('applied');
    // Its own upsert of the session (as it knows it, without the record) changes nothing either.
    const again = await push(old, [upsert({ ...seen!, title: { value: 'Renamed on the tablet', hlc: rename.hlc } })], 2);
    expect(PushResponseSchema.parse(again.body).results[0]!.status).toBe('applied');

    const [now] = await sessionsPulled(phone, 3);
    expect(now!.title.value).toBe('Renamed on the tablet');
    expect(canonicalJson(now!.execution)).toBe(canonicalJson(session.execution));

    const refused = await push(old, [upsert(recorded(old.deviceId, 4))], 2);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
  });

  it('an app updated to protocol 3 starts its metadata pull over and gets the records its older pulls left out', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const session = recorded(phone.deviceId, 4);
    expect((await push(phone, [upsert(session)], 3)).status).toBe(200);
    const tablet = await device('tablet-c3');
    const before = await pullSessions(tablet, 2);
    expect('execution' in before.sessions[0]!).toBe(false);
    // Nothing new since, but its cursor is from a pull that left the records out.
    const after = await pullSessions(tablet, 3, before.cursor);
    expect(after.reset).toBe(true);
    expect(canonicalJson(after.sessions[0]!.execution)).toBe(canonicalJson(session.execution));
    // From now on an ordinary cursor: nothing more, no reset.
    const next = await pullSessions(tablet, 3, after.cursor);
    expect(next).toMatchObject({ reset: false, sessions: [] });
  });

  it('a recomputation is a stamped edit: the latest reaches every protocol 3 device, older ones never see it', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const session = recorded(phone.deviceId, 4);
    expect((await push(phone, [upsert(session)], 3)).status).toBe(200);
    const laptop = await device('laptop-b2');
    const value = { profile: { ...session.execution!.profile, maxHr: 170 }, summary: session.execution!.summary };
    const patch = (d: Device, v: typeof value, ms: number): Mutation => ({ id: uuid(), type: 'session.patch', sessionId: session.id, field: 'recomputed', value: v, hlc: stamp(ms, d.deviceId) });
    const t = Date.now();
    expect(PushResponseSchema.parse((await push(laptop, [patch(laptop, value, t)], 3)).body).results[0]!.status).toBe('applied');
    // An earlier request from the phone, arriving later, loses.
    const earlier = { ...value, profile: { ...value.profile, maxHr: 175 } };
    expect(PushResponseSchema.parse((await push(phone, [patch(phone, earlier, t - 1000)], 3)).body).results[0]!.status).toBe('applied');
    const [onPhone] = await sessionsPulled(phone, 3);
    expect(onPhone!.recomputed!.value.profile.maxHr).toBe(170);
    expect(canonicalJson(onPhone!.execution)).toBe(canonicalJson(session.execution));
    const [onOld] = await sessionsPulled(await device('old-tablet'), 2);
    expect('recomputed' in onOld!).toBe(false);
    expect((await push(laptop, [patch(laptop, value, t + 1)], 2)).status).toBe(400);
  });

  it('refuses a second, different record for the same session', async () => {
    const device = await member();
    const phone = await device('phone-a1');
    const session = recorded(phone.deviceId, 4);
    expect((await push(phone, [upsert(session)], 3)).status).toBe(200);
    const other = { ...session, execution: { ...session.execution!, tzOffsetMinutes: -300 } };
    const r = await push(phone, [upsert(other)], 3);
    expect(PushResponseSchema.parse(r.body).results[0]).toMatchObject({ status: 'rejected', code: 'immutable_conflict' });
  });
});
