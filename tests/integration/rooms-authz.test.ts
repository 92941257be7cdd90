import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import {
  controlHello,
  cookieOf,
  createDisplay,
  createRoom,
  displayHello,
  joinAsGuest,
  openLive,
  participantHello,
  signUp,
  inviteAndAccept as inviteAndAcceptVia,
  upgradeStatus,
  type LiveClient,
} from './rooms-support';

// Who may do what in class mode: every live message type per role, every room endpoint.
let pb: TestPocketBase;
let server: TestServer;
const open: LiveClient[] = [];
let world: Awaited<ReturnType<typeof setUp>>;

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb, env: { TRUST_PROXY: '1', ROOM_CODE_ATTEMPTS_PER_MINUTE: '5' } });
  world = await setUp();
});

afterAll(async () => {
  open.forEach((l) => l.close());
  await server?.stop();
  await pb?.dispose();
});

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  return l;
}

async function setUp() {
  const coach = await signUp(server.url);
  const other = await signUp(server.url);
  const { room } = await createRoom(coach.c);
  const d = await createDisplay(coach.c, room.id);
  const a = await joinAsGuest(server.url, room.joinCode);
  const b = await joinAsGuest(server.url, room.joinCode, { name: 'Bob', age: 50 });
  return { coach, other, room, d, a, b };
}

/** The owner invites by email; the helper (email verified) accepts from their own account. */
async function inviteAndAccept(coach: Awaited<ReturnType<typeof signUp>>, helper: Awaited<ReturnType<typeof signUp>>, roomId: string) {
  const room = await inviteAndAcceptVia(pb, coach, helper, roomId);
  expect(room.coCoaches).toEqual([{ id: helper.user.id, name: helper.user.name }]);
}

const snapshotOf = (l: LiveClient) => l.waitFor((m) => m.type === 'snapshot');
const errorOf = (l: LiveClient, code: string) => l.waitFor((m) => m.type === 'error' && m.code === code);

describe('class mode: authorization', () => {
  it('another member’s room is 404 on every coach endpoint', async () => {
    const { other, room, d, a } = world;
    const id = room.id;
    const calls = [
      other.c.get(`/api/v1/rooms/${id}`),
      other.c.patch(`/api/v1/rooms/${id}`, { name: 'Mine now' }),
      other.c.del(`/api/v1/rooms/${id}`),
      other.c.post(`/api/v1/rooms/${id}/join-code`),
      other.c.post(`/api/v1/rooms/${id}/co-coaches`, { email: other.m.email }),
      other.c.get(`/api/v1/rooms/${id}/displays`),
      other.c.post(`/api/v1/rooms/${id}/displays`, {}),
      other.c.del(`/api/v1/rooms/${id}/displays/${d.display.id}`),
      other.c.get(`/api/v1/rooms/${id}/participants`),
      other.c.del(`/api/v1/rooms/${id}/participants/${a.participantId}`),
      other.c.get(`/api/v1/rooms/${id}/timer`),
      other.c.post(`/api/v1/rooms/${id}/timer`, { command: 'start' }),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await other.c.get('/api/v1/rooms')).body.rooms).toEqual([]);
    const anonymous = await client(server.url).post('/api/v1/rooms', { name: 'x', plan: { v: 1, mode: 'stopwatch', name: 'x' } });
    expect(anonymous.status).toBe(401);
  });

  it('a co-coach can control; only the owner manages co-coaches and deletes', async () => {
    const coach = await signUp(server.url);
    const helper = await signUp(server.url);
    const { room } = await createRoom(coach.c);
    await inviteAndAccept(coach, helper, room.id);
    expect((await helper.c.get('/api/v1/rooms')).body.rooms.map((r: any) => [r.id, r.isOwner])).toEqual([[room.id, false]]);
    expect((await helper.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    expect((await helper.c.del(`/api/v1/rooms/${room.id}`)).status).toBe(403);
    expect((await helper.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: coach.m.email })).status).toBe(403);
    const ctl = await live(server.url, room.id, { cookie: cookieOf(helper.c), hello: controlHello });
    await snapshotOf(ctl);
    // Removed as co-coach: the open control socket is closed at once (no more heart rates, no join code).
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/co-coaches/${helper.user.id}`)).status).toBe(200);
    expect((await ctl.closed).code).toBe(4403);
    expect((await helper.c.get(`/api/v1/rooms/${room.id}`)).status).toBe(404);
  });

  it('display: reads only; cannot control, publish, or enter another room', async () => {
    const { room, d, a, coach } = world;
    const display = await live(server.url, room.id, { hello: displayHello(d.token) });
    await snapshotOf(display);
    display.send({ type: 'timer', command: 'start', requestId: 'x' });
    expect(await display.waitFor((m) => m.type === 'command-result')).toMatchObject({ ok: false, code: 'forbidden' });
    display.send({ type: 'hr', bpm: 100 });
    await errorOf(display, 'forbidden');
    display.send({ type: 'hr', bpm: 100, participantId: a.participantId });
    // Frames of one socket are answered in order: the pong comes after the hr's answer.
    display.send({ type: 'ping', id: 1, t0: 0 });
    await display.waitFor((m) => m.type === 'pong');
    expect(display.messages.filter((m) => m.type === 'error')).toHaveLength(2);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/timer`)).body.state.revision).toBe(0);
    // Its token does not open another room.
    const { room: second } = await createRoom(coach.c, 'Other class');
    const wrong = await live(server.url, second.id, { hello: displayHello(d.token) });
    expect((await wrong.closed).code).toBe(4401);
  });

  it('participant: publishes only its own heart rate, cannot control; a removed participant is cut off and cannot rejoin', async () => {
    const { room, d, a, b, coach } = world;
    const display = await live(server.url, room.id, { hello: displayHello(d.token) });
    await snapshotOf(display);
    const pa = await live(server.url, room.id, { hello: participantHello(a.token) });
    await snapshotOf(pa);
    pa.send({ type: 'hr', bpm: 111, participantId: b.participantId });
    await errorOf(pa, 'forbidden');
    pa.send({ type: 'timer', command: 'start', requestId: 't' });
    expect(await pa.waitFor((m) => m.type === 'command-result')).toMatchObject({ ok: false, code: 'forbidden' });
    pa.send({ type: 'hr', bpm: 112, participantId: a.participantId });
    const hr = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr');
    expect(hr).toMatchObject({ participantId: a.participantId, bpm: 112 });
    expect(display.messages.filter((m) => m.type === 'hr' && m.participantId === b.participantId)).toEqual([]);

    expect((await coach.c.del(`/api/v1/rooms/${room.id}/participants/${a.participantId}`)).status).toBe(204);
    expect((await pa.closed).code).toBe(4403);
    await display.waitFor((m) => m.type === 'participant-left' && m.participantId === a.participantId);
    // Its token no longer opens the room, and the same device cannot join again.
    const back = await live(server.url, room.id, { hello: participantHello(a.token) });
    expect((await back.closed).code).toBe(4401);
    const rejoin = await joinAsGuest(server.url, room.joinCode, { deviceId: a.deviceId });
    expect(rejoin.reply.status).toBe(403);
    expect(rejoin.reply.body.error.code).toBe('participant_removed');
    const leave = await client(server.url).post(`/api/v1/rooms/${room.id}/leave`, {}, { authorization: `Bearer ${a.token}` });
    expect(leave.status).toBe(401);
  });

  it('a revoked display is cut off at once, also on an open socket', async () => {
    const { room, coach } = world;
    const d2 = await createDisplay(coach.c, room.id);
    const screen = await live(server.url, room.id, { hello: displayHello(d2.token) });
    await snapshotOf(screen);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/displays`)).body.displays.map((x: any) => x.id)).toContain(d2.display.id);
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/displays/${d2.display.id}`)).status).toBe(204);
    expect((await screen.closed).code).toBe(4403);
    const again = await live(server.url, room.id, { hello: displayHello(d2.token) });
    expect((await again.closed).code).toBe(4401);
    // A used pairing code does not pair twice.
    expect((await client(server.url).post('/api/v1/rooms/pair', { code: d2.pairingCode }, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(404);
  });

  it('control needs a coach session; messages before hello and bad frames are refused', async () => {
    const { room, other } = world;
    const anon = await live(server.url, room.id, { hello: controlHello });
    expect((await anon.closed).code).toBe(4401);
    const stranger = await live(server.url, room.id, { cookie: cookieOf(other.c), hello: controlHello });
    expect((await stranger.closed).code).toBe(4401);
    const early = await live(server.url, room.id);
    early.send({ type: 'hr', bpm: 90 });
    await errorOf(early, 'hello-first');
    early.send({ type: 'hello', v: 1, role: 'display', token: 'short' });
    await errorOf(early, 'invalid-message');
    early.ws.send('not json');
    expect(early.messages.filter((m) => m.type === 'error').length).toBeGreaterThanOrEqual(2);
  });

  it('the WebSocket upgrade checks the origin (CSRF) and the room', async () => {
    const { room } = world;
    expect(await upgradeStatus(server.url, room.id, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url, room.id, {})).toBe(403);
    expect(await upgradeStatus(server.url, room.id, { origin: server.url, 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(await upgradeStatus(server.url, 'zzzzzzzzzzzzzzz', { origin: server.url })).toBe(404);
    expect(await upgradeStatus(server.url, room.id, { origin: server.url })).toBe(101);
    expect((await client(server.url).get(`/api/v1/rooms/${room.id}/live`)).status).toBe(426);
  });

  it('wrong join codes are refused and rate-limited per device; the address keeps joining; pairing per address', async () => {
    const { room } = world;
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const statuses: number[] = [];
    const deviceId = 'guessing-device-1';
    for (let i = 0; i < 5; i++) statuses.push((await joinAsGuest(server.url, `ZZZZ${2222 + i}`, { deviceId }, from('10.1.1.1'))).reply.status);
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    // Even the right code is refused now from that device (no oracle for a guesser)…
    const blocked = await joinAsGuest(server.url, room.joinCode, { deviceId }, from('10.1.1.1'));
    expect(blocked.reply.status).toBe(429);
    expect(Number(blocked.reply.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(blocked.reply.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // …while another phone behind the same address joins with the right code.
    expect((await joinAsGuest(server.url, room.joinCode, {}, from('10.1.1.1'))).reply.status).toBe(201);
    // Pairing codes have no device id: limited per address.
    for (let i = 0; i < 5; i++) expect((await client(server.url).post('/api/v1/rooms/pair', { code: 'ABCDEFGH' }, from('10.1.1.9'))).status).toBe(404);
    expect((await client(server.url).post('/api/v1/rooms/pair', { code: 'ABCDEFGH' }, from('10.1.1.9'))).status).toBe(429);
    for (let i = 0; i < 6; i++) expect((await joinAsGuest(server.url, room.joinCode, {}, from('10.2.2.2'))).reply.status).toBe(201);
    // A guest needs a name and an age.
    const noAge = await client(server.url).post('/api/v1/rooms/join', { code: room.joinCode, deviceId: 'device-no-age', name: 'X' }, from('10.3.3.3'));
    expect(noAge.status).toBe(400);
  });

  it('rotating the join code retires the old one', async () => {
    const { room, coach } = world;
    const rotated = await coach.c.post(`/api/v1/rooms/${room.id}/join-code`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.room.joinCode).not.toBe(room.joinCode);
    expect((await joinAsGuest(server.url, room.joinCode, {}, { 'x-forwarded-for': '10.4.4.4' })).reply.status).toBe(404);
    expect((await joinAsGuest(server.url, rotated.body.room.joinCode, {}, { 'x-forwarded-for': '10.4.4.4' })).reply.status).toBe(201);
  });
});
