import { describe, expect, it } from 'vitest';
import type { HubWorkoutBody, HubWorkoutPosted } from '../../core/api';
import type { ClassResult } from '../../core/rooms';
import type { PullResponse } from '../../core/sync';
import { chunkPuts, hourOfReadings, liveSession, pushBody, upsert } from '../../core/sync/testing/fixtures';
import { client } from '../support/http-client';
import { createRoom, joinAsGuest, newDeviceId, signUp, useTwoProcesses, type LiveClient } from './rooms-support';

// Issue 15, "After class", across two sync-server processes sharing PocketBase: a hub's class
// workout becomes its member's synced session once, however often (and wherever) it is uploaded;
// a guest's is held until the result's claim link; when the member's phone recorded the class
// too, only the phone's workout stays.
const two = useTwoProcesses();
const hubHello = (token: string) => ({ type: 'hello', v: 1, role: 'hub', token });
const strapIds = (hub: LiveClient) => new Map(hub.messages.flatMap((m) => (m.type === 'hub-strap' ? [[m.strap, m.participantId] as const] : [])));
const asClient = (base: string, from: ReturnType<typeof client>) => {
  const c = client(base);
  for (const [k, v] of from.jar) c.jar.set(k, v);
  return c;
};
let straps = 0;
const newAntKey = () => `ant:${(Date.now() % 50_000) + 1000 + ++straps}`;

async function classWithHub() {
  const coach = await signUp(two.a.url);
  const { room } = await createRoom(coach.c);
  const created = await coach.c.post(`/api/v1/rooms/${room.id}/hubs`, { name: 'Desk' });
  expect(created.status).toBe(201);
  const hub = await two.live(two.a.url, room.id, { hello: hubHello(created.body.token) });
  await hub.waitFor((m) => m.type === 'snapshot');
  const started = await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' });
  expect(started.status).toBe(200);
  return { coach, room, hub, token: created.body.token as string, runStartedAt: started.body.state.startedAt as number };
}

/** An opted-in member wearing a registered strap the hub hears: their participant id. */
async function memberStrap(base: string) {
  const m = await signUp(base);
  const key = newAntKey();
  expect((await m.c.post('/api/v1/straps', { key })).status).toBe(201);
  expect((await m.c.put('/api/v1/straps/prefs', { autoJoin: true, profile: { age: 40 } })).status).toBe(200);
  return { ...m, key };
}

async function hear(hub: LiveClient, keys: string[]) {
  await expect
    .poll(
      () => {
        hub.send({ type: 'hub-readings', readings: keys.map((strap) => ({ strap, bpm: 120 })) });
        return keys.every((k) => strapIds(hub).get(k));
      },
      { interval: 400, timeout: 15_000 },
    )
    .toBe(true);
}

async function workoutBody(strap: string, runStartedAt: number, seed: number): Promise<HubWorkoutBody> {
  const readings = hourOfReadings(runStartedAt, seed, 600);
  const session = liveSession({ startedAt: runStartedAt, deviceId: 'hub' });
  const result: ClassResult = { runStartedAt, points: 12, bandMs: [0, 60_000, 60_000, 0, 0], avgBpm: 130, peakBpm: 160, kcal: 80, activeMs: 600_000 };
  const chunks = (await chunkPuts(session.id, readings, 60)).map(({ id: _id, type: _t, sessionId: _s, ...c }) => c);
  return { strap, result, session: { ...session, summary: { endedAt: runStartedAt + 600_000, durationMs: 600_000, readingCount: 600, avgBpm: 130, maxBpm: 160, energyKj: null } }, chunks };
}

const upload = (base: string, roomId: string, token: string, body: HubWorkoutBody) =>
  client(base).post(`/api/v1/rooms/${roomId}/hub/workouts`, body, { authorization: `Bearer ${token}` });

/** The member's synced sessions (live and deleted), pulled from the start. */
async function sessionsOf(c: ReturnType<typeof client>) {
  const records: Array<{ kind: string; id: string }> = [];
  let cursor = '';
  for (;;) {
    const r = await c.get(`/api/v1/sync/pull?protocol=5&deviceId=${newDeviceId()}&kinds=sessions${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    const page = r.body as PullResponse;
    for (const ch of page.changes) if (ch.kind === 'session') records.push(ch.record);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { live: records.filter((s) => s.kind === 'live'), deleted: records.filter((s) => s.kind === 'tombstone') };
}

describe('after a class carried by a hub', () => {
  it('a member’s workout is in their history once, whatever the retries on two processes; a guest’s is held for their claim link', async () => {
    const { room, hub, token, runStartedAt } = await classWithHub();
    const ann = await memberStrap(two.b.url);
    const guestKey = newAntKey();
    await hear(hub, [ann.key, guestKey]);

    // The hub's upload is retried and duplicated: three times on each process, at once.
    const body = await workoutBody(ann.key, runStartedAt, 1);
    const replies = await Promise.all([...Array(6)].map((_, i) => upload(i % 2 ? two.a.url : two.b.url, room.id, token, body)));
    for (const r of replies) expect(r.status, r.text).toBe(200);
    expect(replies.map((r) => (r.body as HubWorkoutPosted).delivered)).toEqual(Array(6).fill('member'));
    const mine = await sessionsOf(asClient(two.a.url, ann.c));
    expect(mine.live).toHaveLength(1);
    expect(mine.live[0]).toMatchObject({ startedAt: runStartedAt, summary: { readingCount: 600 } });
    const chunks = await asClient(two.a.url, ann.c).get(`/api/v1/sync/sessions/${mine.live[0]!.id}/chunks?protocol=5&deviceId=${newDeviceId()}`);
    expect(chunks.status).toBe(200);
    expect((chunks.body as { changes: unknown[] }).changes).toHaveLength(10);

    // Without the hub's token, or for a strap it did not carry: refused.
    expect((await upload(two.a.url, room.id, 'nope', body)).status).toBe(401);
    expect((await upload(two.a.url, room.id, token, { ...body, strap: newAntKey() })).status).toBe(404);

    // A guest strap: held, with the class result's claim link; claimed after sign-up (twice: still one).
    const guest = await upload(two.b.url, room.id, token, await workoutBody(guestKey, runStartedAt, 2));
    expect(guest.status, guest.text).toBe(200);
    const posted = guest.body as HubWorkoutPosted;
    expect(posted).toMatchObject({ delivered: 'held', recordedBy: 'hub', participantId: strapIds(hub).get(guestKey) });
    expect(posted.claimToken).toMatch(/^[a-z0-9]{15}\.\d+\.[A-Za-z0-9_-]{43}$/);
    const gus = await signUp(two.a.url);
    const claims = await Promise.all([gus.c, asClient(two.b.url, gus.c)].map((c) => c.post('/api/v1/rooms/results/claim', { token: posted.claimToken })));
    for (const r of claims) expect(r.status, r.text).toBe(200);
    const his = await sessionsOf(gus.c);
    expect(his.live).toHaveLength(1);
    expect(his.live[0]).toMatchObject({ startedAt: runStartedAt, summary: { readingCount: 600 } });
    // Nobody else's history got it.
    expect((await sessionsOf(asClient(two.a.url, ann.c))).live).toHaveLength(1);
  });

  it('hub and phone both recorded a member’s class: one workout, the phone’s, in either order and racing', async () => {
    for (const order of ['hub-first', 'phone-first', 'racing'] as const) {
      const { room, hub, token, runStartedAt } = await classWithHub();
      const bea = await memberStrap(two.a.url);
      await hear(hub, [bea.key]);
      // Bea's phone joined the class signed in, recorded it, and syncs that workout as usual.
      const joined = await joinAsGuest(two.b.url, room.joinCode, {}, { cookie: [...bea.c.jar].map(([k, v]) => `${k}=${v}`).join('; ') });
      expect(joined.reply.status, joined.reply.text).toBe(201);
      const phoneSession = liveSession({ startedAt: runStartedAt + 40, deviceId: 'bea-phone' });
      expect((await asClient(two.b.url, bea.c).post('/api/v1/sync/push', pushBody('bea-phone', [upsert(phoneSession)]))).status).toBe(200);

      const body = await workoutBody(bea.key, runStartedAt, 3);
      const result: ClassResult = { ...body.result, points: 11 };
      const fromHub = () => upload(two.a.url, room.id, token, body);
      const fromPhone = () => client(two.b.url).post(`/api/v1/rooms/${room.id}/results`, { ...result, recordedOnPhone: true }, { authorization: `Bearer ${joined.token}` });
      let hubReply;
      if (order === 'hub-first') {
        hubReply = await fromHub();
        expect((await fromPhone()).status).toBe(200);
      } else if (order === 'phone-first') {
        expect((await fromPhone()).status).toBe(200);
        hubReply = await fromHub();
        expect(hubReply.body).toMatchObject({ delivered: 'phone', recordedBy: 'phone' });
      } else {
        const [h, p] = await Promise.all([fromHub(), fromPhone(), fromHub()]);
        hubReply = h;
        expect(p.status).toBe(200);
      }
      expect(hubReply.status, hubReply.text).toBe(200);
      // A late retry from the hub changes nothing.
      expect((await fromHub()).body).toMatchObject({ delivered: 'phone' });
      const hers = await sessionsOf(asClient(two.a.url, bea.c));
      expect(hers.live.map((s) => s.id), order).toEqual([phoneSession.id]);
    }
  });
});
