import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { createDisplay, createRoom, displayHello, newDeviceId, openLive, participantHello, signUp, startRedis, type LiveClient, type TestRedis } from './rooms-support';

// The room hub (issue 15) across two sync-server processes sharing Redis: a hub paired on one
// process publishes many straps over one socket; displays on the other see them as tiles; the
// coach names a strap's wearer; a phone without Bluetooth follows its strap; revoking the hub
// cuts its socket on the other process at once; the strap registry and auto-join.
let pb: TestPocketBase;
let redis: TestRedis;
let a: TestServer;
let b: TestServer;
const open: LiveClient[] = [];

beforeAll(async () => {
  [pb, redis] = await Promise.all([startTestPocketBase(), startRedis()]);
  const env = { REDIS_URL: redis.url };
  [a, b] = await Promise.all([startSyncServer({ pb, env }), startSyncServer({ pb, env })]);
});

afterAll(async () => {
  open.forEach((l) => l.close());
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.dispose();
  await pb?.dispose();
});

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  return l;
}

const hubHello = (token: string) => ({ type: 'hello', v: 1, role: 'hub', token });
type Reading = { strap: string; bpm: number; rr?: number[]; battery?: number | null; points?: number };

/** Sends the batch about every 400 ms (the server keeps one reading per strap per ~375 ms) until `done`. */
async function pump(hub: LiveClient, readings: Reading[] | (() => Reading[]), done: () => boolean | Promise<boolean>) {
  await expect
    .poll(
      async () => {
        if (await done()) return true;
        hub.send({ type: 'hub-readings', readings: typeof readings === 'function' ? readings() : readings });
        return done();
      },
      { interval: 400, timeout: 15_000 },
    )
    .toBe(true);
}

const tileNames = (l: LiveClient) => {
  const names = new Map<string, string>();
  for (const m of l.messages) {
    if (m.type === 'snapshot') for (const p of m.participants) names.set(p.id, p.name);
    if (m.type === 'participant') names.set(m.participant.id, m.participant.name);
  }
  return names;
};
const lastBpm = (l: LiveClient, participantId: string) => l.messages.filter((m): m is ServerMessageOf<'hr'> => m.type === 'hr' && m.participantId === participantId).at(-1)?.bpm;
const strapIds = (hub: LiveClient) => new Map(hub.messages.flatMap((m) => (m.type === 'hub-strap' ? [[m.strap, m.participantId] as const] : [])));

async function createHub(coach: ReturnType<typeof client>, roomId: string) {
  const r = await coach.post(`/api/v1/rooms/${roomId}/hubs`, { name: 'Front desk tablet' });
  expect(r.status).toBe(201);
  return r.body as { hub: { id: string; state: string }; token: string; pairingCode: string; linkPath: string };
}

async function welcomed(l: LiveClient) {
  await l.waitFor((m) => m.type === 'snapshot');
  return l;
}

describe('room hub', () => {
  it('is paired by code on B, publishes 24 straps over one socket on B, and a display on A shows each strap as a tile with its heart rate', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const created = await createHub(coach.c, room.id);
    expect(created.linkPath).toBe(`/rooms/${room.id}/hub#hub=${encodeURIComponent(created.token)}`);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/hubs`)).body.hubs).toEqual([expect.objectContaining({ id: created.hub.id, state: 'waiting', pairingPending: true })]);

    const paired = await client(b.url).post('/api/v1/hubs/pair', { code: created.pairingCode.toLowerCase() });
    expect(paired.status).toBe(200);
    expect(paired.body).toMatchObject({ roomId: room.id, hubId: created.hub.id });
    // Used once; and the link's token stops working once the code is used.
    expect((await client(b.url).post('/api/v1/hubs/pair', { code: created.pairingCode })).status).toBe(404);
    const viaLink = await live(a.url, room.id, { hello: hubHello(created.token) });
    expect((await viaLink.closed).code).toBe(4401);

    const display = await welcomed(await live(a.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) }));
    const hub = await welcomed(await live(b.url, room.id, { hello: hubHello(paired.body.token) }));
    expect(hub.messages.find((m) => m.type === 'welcome')).toMatchObject({ role: 'hub', roomId: room.id });
    await expect.poll(async () => (await coach.c.get(`/api/v1/rooms/${room.id}/hubs`)).body.hubs[0].state).toBe('live');

    const straps = Array.from({ length: 24 }, (_, i) => ({ strap: `ant:${14800 + i}`, bpm: 100 + i, rr: [600], battery: 80 }));
    await pump(hub, straps, () => strapIds(hub).size === 24 && [...strapIds(hub).values()].every((id) => id && lastBpm(display, id) !== undefined));
    const ids = strapIds(hub);
    expect(new Set(ids.values()).size).toBe(24);
    const names = tileNames(display);
    expect(names.get(ids.get('ant:14821')!)).toBe('Strap 4821');
    for (const s of straps) expect(lastBpm(display, ids.get(s.strap)!)).toBe(s.bpm);
    // Heart rate crossing processes: one socket, no participant token per strap.
    expect(hub.messages.some((m) => m.type === 'error')).toBe(false);

    // A display connecting later gets the straps in its snapshot, with their last heart rate.
    const later = await welcomed(await live(b.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) }));
    const snap = later.messages.find((m): m is ServerMessageOf<'snapshot'> => m.type === 'snapshot')!;
    expect(snap.participants.filter((p) => p.name.startsWith('Strap ')).length).toBe(24);
    expect(snap.participants.find((p) => p.id === ids.get('ant:14801'))?.hr?.bpm).toBe(101);
  });

  it('publishes only into its own room: another room refuses its token, other roles cannot send strap readings, strangers cannot create or list hubs', async () => {
    const coach = await signUp(a.url);
    const stranger = await signUp(b.url);
    const { room } = await createRoom(coach.c);
    const { room: other } = await createRoom(coach.c, 'Other room');
    const created = await createHub(coach.c, room.id);

    const elsewhere = await live(b.url, other.id, { hello: hubHello(created.token) });
    expect((await elsewhere.closed).code).toBe(4401);
    const forged = await live(a.url, room.id, { hello: hubHello(`${created.hub.id}.${'x'.repeat(43)}`) });
    expect((await forged.closed).code).toBe(4401);

    const display = await welcomed(await live(a.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) }));
    display.send({ type: 'hub-readings', readings: [{ strap: 'ant:1234', bpm: 120 }] });
    expect(await display.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' });

    const hub = await welcomed(await live(a.url, room.id, { hello: hubHello(created.token) }));
    hub.send({ type: 'hr', bpm: 120 });
    expect(await hub.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' });
    hub.send({ type: 'hub-readings', readings: [{ strap: 'nonsense', bpm: 120 }] });
    expect(await hub.waitFor((m) => m.type === 'error' && m.code === 'invalid-message')).toBeTruthy();
    hub.send({ type: 'timer', command: 'start' });
    expect(await hub.waitFor((m) => m.type === 'command-result')).toMatchObject({ ok: false, code: 'forbidden' });

    expect((await stranger.c.post(`/api/v1/rooms/${room.id}/hubs`, {})).status).toBe(404);
    expect((await stranger.c.get(`/api/v1/rooms/${room.id}/hubs`)).status).toBe(404);
    expect((await stranger.c.del(`/api/v1/rooms/${room.id}/hubs/${created.hub.id}`)).status).toBe(404);
    expect((await client(a.url).post(`/api/v1/rooms/${room.id}/hubs`, {})).status).toBe(401);
    // A hub of this room cannot be revoked through another room.
    expect((await coach.c.del(`/api/v1/rooms/${other.id}/hubs/${created.hub.id}`)).status).toBe(404);
  });

  it('revoked on A, its socket on B is cut off at once and it cannot come back', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const created = await createHub(coach.c, room.id);
    const hub = await welcomed(await live(b.url, room.id, { hello: hubHello(created.token) }));
    await pump(hub, [{ strap: 'ant:5555', bpm: 99 }], () => strapIds(hub).size === 1);

    expect((await coach.c.del(`/api/v1/rooms/${room.id}/hubs/${created.hub.id}`)).status).toBe(204);
    expect((await hub.closed).code).toBe(4403);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/hubs`)).body.hubs).toEqual([]);
    const again = await live(b.url, room.id, { hello: hubHello(created.token) });
    expect((await again.closed).code).toBe(4401);
  });

  it('the coach names an unknown strap in one step; every screen shows it, and the name is remembered for that hub', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const created = await createHub(coach.c, room.id);
    const display = await welcomed(await live(a.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) }));
    const hub = await welcomed(await live(b.url, room.id, { hello: hubHello(created.token) }));
    await pump(hub, [{ strap: 'ant:34821', bpm: 130 }], () => strapIds(hub).size === 1);
    const pid = strapIds(hub).get('ant:34821')!;

    const listed = await coach.c.get(`/api/v1/rooms/${room.id}/straps`);
    expect(listed.body.straps).toEqual([{ participant: expect.objectContaining({ id: pid, name: 'Strap 4821', member: false }), hubId: created.hub.id, claimed: false, key: 'ant:34821', conflicts: [] }]);
    expect((await coach.c.put(`/api/v1/rooms/${room.id}/straps/${pid}`, { name: '' })).status).toBe(400);
    const named = await coach.c.put(`/api/v1/rooms/${room.id}/straps/${pid}`, { name: 'Gail', age: 41, sex: 'female', weightKg: 62 });
    expect(named.status).toBe(200);
    expect(named.body.participant).toMatchObject({ id: pid, name: 'Gail', age: 41, sex: 'female', weightKg: 62 });
    await display.waitFor((m) => m.type === 'participant' && m.participant.id === pid && m.participant.name === 'Gail');

    // The hub comes back later (a new socket, on A): the same strap is the same, named participant.
    hub.close();
    const back = await welcomed(await live(a.url, room.id, { hello: hubHello(created.token) }));
    await pump(back, [{ strap: 'ant:34821', bpm: 131 }], () => strapIds(back).size === 1);
    expect(strapIds(back).get('ant:34821')).toBe(pid);
    expect(tileNames(back).get(pid)).toBe('Gail');
    // Only the room's strap participants can be named this way.
    expect((await coach.c.put(`/api/v1/rooms/${room.id}/straps/zzzzzzzzzzzzzzz`, { name: 'X' })).status).toBe(404);
  });

  it('a phone without Bluetooth follows its strap with the room code: it sees only its own tile and live heart rate; one phone per strap', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const created = await createHub(coach.c, room.id);
    const hub = await welcomed(await live(b.url, room.id, { hello: hubHello(created.token) }));
    let bpm = 120;
    await pump(hub, () => [{ strap: 'ant:4821', bpm }, { strap: 'ant:7777', bpm: 90 }], () => strapIds(hub).size === 2);
    const mine = strapIds(hub).get('ant:4821')!;

    const phone = client(a.url);
    const deviceId = newDeviceId();
    const list = await phone.post('/api/v1/rooms/straps', { code: room.joinCode, deviceId });
    expect(list.status).toBe(200);
    expect(list.body.room).toEqual({ id: room.id, name: room.name });
    expect(list.body.straps.map((s: { name: string }) => s.name).sort()).toEqual(['Strap 4821', 'Strap 7777']);
    expect((await phone.post('/api/v1/rooms/straps', { code: 'WRONGCOD', deviceId })).status).toBe(404);

    const claim = await phone.post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId, participantId: mine });
    expect(claim.status).toBe(201);
    expect(claim.body.participant).toMatchObject({ id: mine, name: 'Strap 4821' });
    const own = await welcomed(await live(a.url, room.id, { hello: participantHello(claim.body.token) }));
    const snap = own.messages.find((m): m is ServerMessageOf<'snapshot'> => m.type === 'snapshot')!;
    expect(snap.participants.map((p) => p.id)).toEqual([mine]);
    expect(snap.room.joinCode).toBeNull();
    bpm = 142;
    await pump(hub, () => [{ strap: 'ant:4821', bpm }, { strap: 'ant:7777', bpm: 91 }], () => own.messages.some((m) => m.type === 'hr' && m.participantId === mine && m.bpm === 142));
    // Only its own heart rate reaches it.
    expect(own.messages.filter((m): m is ServerMessage & { participantId: string } => m.type === 'hr').every((m) => m.participantId === mine)).toBe(true);

    // The same phone may claim again (a new token); another phone may not.
    expect((await phone.post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId, participantId: mine })).status).toBe(201);
    const thief = await client(b.url).post('/api/v1/rooms/straps/claim', { code: room.joinCode, deviceId: newDeviceId(), participantId: mine });
    expect(thief.status).toBe(409);
    expect(thief.body.error.code).toBe('strap_claimed');
    const others = await client(b.url).post('/api/v1/rooms/straps', { code: room.joinCode, deviceId: newDeviceId() });
    expect(others.body.straps.map((s: { name: string }) => s.name)).toEqual(['Strap 7777']);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/straps`)).body.straps.find((s: { participant: { id: string } }) => s.participant.id === mine).claimed).toBe(true);
  });

  it('strap registry: one member per strap (409 strap_taken until released); a hub joins a member automatically only when they opted in, with their profile', async () => {
    const coach = await signUp(a.url);
    const ann = await signUp(a.url);
    const bob = await signUp(b.url);
    const key = `ant:${20000 + Math.floor(Math.random() * 40000)}`;
    expect((await client(a.url).post('/api/v1/straps', { key })).status).toBe(401);
    expect((await ann.c.post('/api/v1/straps', { key: 'usb:1' })).status).toBe(400);
    const reg = await ann.c.post('/api/v1/straps', { key });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ straps: [{ key }], autoJoin: false });
    const taken = await bob.c.post('/api/v1/straps', { key });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'strap_taken', message: expect.any(String) });
    expect((await bob.c.del(`/api/v1/straps/${encodeURIComponent(key)}`)).status).toBe(404);

    // Not opted in: the hub hears the strap as an unknown one.
    const { room } = await createRoom(coach.c);
    const hub = await welcomed(await live(b.url, room.id, { hello: hubHello((await createHub(coach.c, room.id)).token) }));
    const display = await welcomed(await live(a.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) }));
    await pump(hub, [{ strap: key, bpm: 111 }], () => strapIds(hub).size === 1);
    const pid = strapIds(hub).get(key)!;
    await expect.poll(() => tileNames(display).get(pid)).toMatch(/^Strap \d{4}$/);

    // Opted in (through process B): the hub's next look joins them as themselves, with their profile.
    const prefs = await client(b.url);
    for (const [k, v] of ann.c.jar) prefs.jar.set(k, v);
    const set = await prefs.put('/api/v1/straps/prefs', { autoJoin: true, profile: { age: 38, sex: 'female', maxHr: 185 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ autoJoin: true, profile: { age: 38, sex: 'female', maxHr: 185 } });
    hub.close();
    const hub2 = await welcomed(await live(a.url, room.id, { hello: hubHello((await createHub(coach.c, room.id)).token) }));
    const key2 = `ant:${(Number(key.slice(4)) % 60000) + 1}`;
    expect((await ann.c.post('/api/v1/straps', { key: key2 })).status).toBe(201);
    await pump(hub2, [{ strap: key2, bpm: 120 }], () => strapIds(hub2).size === 1);
    const joined = await display.waitFor<ServerMessageOf<'participant'>>((m) => m.type === 'participant' && m.participant.id === strapIds(hub2).get(key2));
    expect(joined.participant).toMatchObject({ name: ann.user.name, member: true, age: 38, sex: 'female', maxHr: 185 });

    // Released, Bob may register it.
    expect((await ann.c.del(`/api/v1/straps/${encodeURIComponent(key)}`)).status).toBe(204);
    expect((await bob.c.post('/api/v1/straps', { key })).status).toBe(201);
    expect((await bob.c.get('/api/v1/straps')).body).toMatchObject({ straps: [{ key }], autoJoin: false, profile: {} });
  });
});
