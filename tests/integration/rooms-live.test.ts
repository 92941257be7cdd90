import { afterAll, describe, expect, it } from 'vitest';
import { createClockEstimator, initialDisplayState, initialsOf, reduceDisplay, tilesAt, type ServerMessageOf } from '../../core/rooms';
import { timerView } from '../../core/workout';
import { client } from '../support/http-client';
import { useTestServer } from '../support/test-server';
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
  sleep,
  type LiveClient,
} from './rooms-support';

// One PocketBase and one server process for the file; staleness shortened so it can be observed.
const STALE_MS = 1_500;
const GONE_MS = 3_000;
const env = { ROOM_STALE_MS: String(STALE_MS), ROOM_GONE_MS: String(GONE_MS), TRUST_PROXY: '1' };
const server = useTestServer({ env });
const open: LiveClient[] = [];

afterAll(async () => {
  open.forEach((l) => l.close());
});

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  return l;
}

/** A room with a coach, a display paired through its pairing code and its snapshot. */
async function classroom() {
  const coach = await signUp(server.url);
  const { room, timer } = await createRoom(coach.c);
  const d = await createDisplay(coach.c, room.id);
  const gym = client(server.url); // a gym browser, no account
  const paired = await gym.post('/api/v1/rooms/pair', { code: d.pairingCode.toLowerCase().replace(/(.{4})/, '$1-') });
  expect(paired.status).toBe(200);
  expect(paired.body).toMatchObject({ roomId: room.id, displayId: d.display.id });
  const display = await live(server.url, room.id, { hello: displayHello(paired.body.token) });
  await display.waitFor((m) => m.type === 'snapshot');
  return { coach, room, timer, display, displayToken: paired.body.token as string, displayId: d.display.id };
}

const stateOf = (l: LiveClient) => l.messages.reduce(reduceDisplay, initialDisplayState);

describe('class mode: live room', () => {
  it('pairs a display, joins a member and a guest, and heart rate reaches the display with server times', async () => {
    const { coach, room, display } = await classroom();
    const welcome = display.messages[0] as ServerMessageOf<'welcome'>;
    expect(welcome).toMatchObject({ type: 'welcome', role: 'display', roomId: room.id, config: { staleMs: STALE_MS, goneMs: GONE_MS } });
    const snap = display.messages[1] as ServerMessageOf<'snapshot'>;
    expect(snap.room).toEqual({ id: room.id, name: 'Tuesday HIIT', joinCode: room.joinCode, sort: 'name' });
    expect(snap.timer.revision).toBe(0);

    // A member (another account) joins with the code; a guest with name and age.
    const member = await signUp(server.url);
    const mj = await member.c.post('/api/v1/rooms/join', { code: room.joinCode, deviceId: 'member-phone-1', age: 41, restingHr: 52, maxHr: 183 });
    expect(mj.status).toBe(201);
    expect(mj.body.participant).toMatchObject({ name: member.user.name, member: true, age: 41, restingHr: 52, maxHr: 183 });
    // Another member hides their name (initials only) and stays out of rankings.
    const shy = await signUp(server.url);
    const sj = await shy.c.post('/api/v1/rooms/join', { code: room.joinCode, deviceId: 'member-phone-2', initialsOnly: true, ranked: false });
    expect(sj.status).toBe(201);
    expect(sj.body.participant).toMatchObject({ name: initialsOf(shy.user.name), ranked: false, member: true });
    expect(mj.body.participant.ranked).toBe(true);
    // (They leave at once: the rest of this test follows two participants.)
    expect((await shy.c.post(`/api/v1/rooms/${room.id}/leave`, {}, { authorization: `Bearer ${sj.body.token}` })).status).toBe(204);
    const guest = await joinAsGuest(server.url, room.joinCode);
    expect(guest.reply.status).toBe(201);
    expect(guest.reply.body.participant).toMatchObject({ name: 'Guest Gail', member: false, age: 34, sex: 'female', weightKg: 61, restingHr: null });

    const p1 = await live(server.url, room.id, { hello: participantHello(mj.body.token) });
    const p2 = await live(server.url, room.id, { hello: participantHello(guest.token) });
    const p1snap = await p1.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(p1snap.participants.map((p) => p.id)).toEqual([mj.body.participant.id]); // only itself
    expect(p1snap.room.joinCode).toBeNull();
    await p2.waitFor((m) => m.type === 'snapshot');

    const before = Date.now();
    p1.send({ type: 'hr', bpm: 131, kcal: 12.5, points: 7 });
    p2.send({ type: 'hr', bpm: 97 });
    const h1 = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr' && m.participantId === mj.body.participant.id);
    const h2 = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr' && m.participantId === guest.participantId);
    expect(h1).toMatchObject({ bpm: 131, kcal: 12.5, points: 7 });
    expect(h2).toMatchObject({ bpm: 97, kcal: null, points: null });
    for (const h of [h1, h2]) expect(h.at).toBeGreaterThanOrEqual(before - 5);

    // Faster than ~1 Hz is dropped: checked against a timer delta published after the frame was handled.
    p2.send({ type: 'hr', bpm: 150 });
    p2.send({ type: 'ping', id: 7, t0: 0 });
    await p2.waitFor((m) => m.type === 'pong' && m.id === 7);
    expect((await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    await display.waitFor((m) => m.type === 'timer' && m.state.revision === 1);
    expect(display.messages.filter((m) => m.type === 'hr' && m.participantId === guest.participantId)).toHaveLength(1);

    const tiles = tilesAt(stateOf(display), h2.at + 10);
    expect(tiles.map((t) => [t.participant.name, t.hr?.bpm, t.status])).toEqual([
      [member.user.name, 131, 'live'],
      ['Guest Gail', 97, 'live'],
    ]);

    // The coach's list agrees; the participant leaves and its tile goes at once.
    expect((await coach.c.get(`/api/v1/rooms/${room.id}/participants`)).body.participants).toHaveLength(2);
    expect((await client(server.url).post(`/api/v1/rooms/${room.id}/leave`, {}, { authorization: `Bearer ${guest.token}` })).status).toBe(204);
    await display.waitFor((m) => m.type === 'participant-left' && m.participantId === guest.participantId);
    expect((await p2.closed).code).toBe(1000);
    expect(Object.keys(stateOf(display).tiles)).toEqual([mj.body.participant.id]);
  });

  it('reads text frames through the ws socket itself, and refuses a binary frame with a clear error (live/live-upgrade.ts)', async () => {
    const { display } = await classroom();
    display.ws.send(Buffer.from(JSON.stringify({ type: 'ping', id: 1, t0: 1 })), { binary: true });
    const refused = await display.waitFor((m) => m.type === 'error');
    expect(refused).toMatchObject({ type: 'error', code: 'invalid-message' });
    display.send({ type: 'ping', id: 2, t0: 2 });
    expect(await display.waitFor((m) => m.type === 'pong')).toMatchObject({ type: 'pong', id: 2, t0: 2 });
  });

  it('a tile goes stale after ROOM_STALE_MS and is gone after ROOM_GONE_MS (server times only)', async () => {
    const { room, display, displayToken } = await classroom();
    const g = await joinAsGuest(server.url, room.joinCode);
    const p = await live(server.url, room.id, { hello: participantHello(g.token) });
    await p.waitFor((m) => m.type === 'snapshot');
    p.send({ type: 'hr', bpm: 120 });
    const hr = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr');
    p.close();

    // The display measures its offset to the server clock and ages tiles with it.
    const clock = createClockEstimator();
    for (let id = 0; id < 3; id++) {
      const t0 = Date.now();
      display.send({ type: 'ping', id, t0 });
      const pong = await display.waitFor<ServerMessageOf<'pong'>>((m) => m.type === 'pong' && m.id === id);
      clock.addSample(pong.t0, pong.serverTime, Date.now());
    }
    expect(Math.abs(clock.estimate()!.offsetMs)).toBeLessThan(50); // same machine
    const serverNow = () => clock.serverNow(Date.now())!;
    expect(tilesAt(stateOf(display), serverNow()).map((t) => t.status)).toEqual(['live']);
    await sleep(hr.at + STALE_MS + 100 - serverNow());
    expect(tilesAt(stateOf(display), serverNow()).map((t) => t.status)).toEqual(['stale']);
    // A display connecting now gets the stale tile in its snapshot, with the same receive time.
    const late = await live(server.url, room.id, { hello: displayHello(displayToken) });
    const snap = await late.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(snap.participants.map((x) => [x.hr?.bpm, x.hr?.at])).toEqual([[120, hr.at]]);
    await sleep(hr.at + GONE_MS + 100 - serverNow());
    expect(tilesAt(stateOf(display), serverNow())).toEqual([]);
    const later = await live(server.url, room.id, { hello: displayHello(displayToken) });
    expect((await later.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot')).participants).toEqual([]);
  });

  it('rejoining from the same device keeps one participant and one tile', async () => {
    const { room, display } = await classroom();
    const first = await joinAsGuest(server.url, room.joinCode, { deviceId: 'kiosk-phone-42' });
    const again = await joinAsGuest(server.url, room.joinCode, { deviceId: 'kiosk-phone-42', name: 'Gail R.' });
    expect(again.reply.status).toBe(201);
    expect(again.participantId).toBe(first.participantId);
    await display.waitFor((m) => m.type === 'participant' && m.participant.name === 'Gail R.');
    const p = await live(server.url, room.id, { hello: participantHello(again.token) });
    await p.waitFor((m) => m.type === 'snapshot');
    p.send({ type: 'hr', bpm: 88 });
    await display.waitFor((m) => m.type === 'hr');
    const tiles = tilesAt(stateOf(display), Date.now());
    expect(tiles.map((t) => [t.participant.id, t.participant.name, t.hr?.bpm])).toEqual([[first.participantId, 'Gail R.', 88]]);
  });

  it('timer commands from control are persisted, delivered to every screen, and compare-and-swap on revision', async () => {
    const { coach, room, display } = await classroom();
    const g = await joinAsGuest(server.url, room.joinCode);
    const phone = await live(server.url, room.id, { hello: participantHello(g.token) });
    await phone.waitFor((m) => m.type === 'snapshot');
    const control = await live(server.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    await control.waitFor((m) => m.type === 'snapshot');

    control.send({ type: 'timer', command: 'start', requestId: 'r1' });
    expect(await control.waitFor((m) => m.type === 'command-result' && m.requestId === 'r1')).toMatchObject({ ok: true, revision: 1 });
    const started = await display.waitFor<ServerMessageOf<'timer'>>((m) => m.type === 'timer' && m.state.revision === 1);
    await phone.waitFor((m) => m.type === 'timer' && m.state.revision === 1);
    expect(started.state.startedAt).toBeGreaterThan(0);

    // REST and live share one store: a stale ifRevision is a conflict, nothing changes.
    const stale = await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'pause', ifRevision: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.state.revision).toBe(1);
    const paused = await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'pause', ifRevision: 1 });
    expect(paused.status).toBe(200);
    expect(paused.body.state).toMatchObject({ revision: 2 });
    const again = await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'pause' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'timer_rejected', reason: 'not-running' });

    // Two commands at once on revision 2: exactly one wins revision 3.
    const [a, b] = await Promise.all([
      coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'resume', ifRevision: 2 }),
      coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'skip', ifRevision: 2 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    control.send({ type: 'timer', command: 'change-plan', plan: { v: 1, mode: 'stopwatch', name: 'Free run' }, requestId: 'cp' });
    expect(await control.waitFor((m) => m.type === 'command-result' && m.requestId === 'cp')).toMatchObject({ ok: true, revision: 4 });
    const last = await display.waitFor<ServerMessageOf<'timer'>>((m) => m.type === 'timer' && m.state.revision === 4);
    expect(last.state.plan.mode).toBe('stopwatch');
    const persisted = await coach.c.get(`/api/v1/rooms/${room.id}/timer`);
    expect(persisted.body.state).toEqual(last.state);
  });

  it('after a server restart mid-workout the reconnect snapshot puts the timer exactly where it should be', async () => {
    const { coach, room, displayToken } = await classroom();
    const start = await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' });
    expect(start.status).toBe(200);
    const state = start.body.state;
    await sleep(1_200);
    expect(await server.stop()).toBe(0);
    await server.start();
    const display = await live(server.url, room.id, { hello: displayHello(displayToken) });
    const snap = await display.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(snap.timer).toEqual(state);
    const view = timerView(snap.timer, snap.serverTime);
    expect(view.status).toBe('running');
    expect(view.elapsedMs).toBe(snap.serverTime - state.startedAt);
    expect(view.elapsedMs).toBeGreaterThan(1_200);
  });
});
