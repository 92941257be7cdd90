import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../sync-server/src/mail/smtp-sink';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import {
  controlHello,
  cookieOf,
  createDisplay,
  createRoom,
  displayHello,
  inviteAndAccept,
  joinAsGuest,
  openLive,
  participantHello,
  signUp,
  startRedis,
  type LiveClient,
  type TestRedis,
} from './rooms-support';

/**
 * Issue 11, "live authorization is continuous": every kind of revocation closes the affected
 * sockets within 1 s on the OTHER server process too (through Redis), and leaves the others
 * open. Two processes A and B share PocketBase and Redis; the change is made through A, the
 * sockets sit on B.
 */
let pb: TestPocketBase;
let smtp: SmtpSink;
let redis: TestRedis;
let a: TestServer;
let b: TestServer;
const open: LiveClient[] = [];

beforeAll(async () => {
  [pb, smtp, redis] = await Promise.all([startTestPocketBase(), startSmtpSink(), startRedis()]);
  const env = { REDIS_URL: redis.url };
  [a, b] = await Promise.all([startSyncServer({ pb, env, smtpPort: smtp.port }), startSyncServer({ pb, env, smtpPort: smtp.port })]);
});

afterAll(async () => {
  open.forEach((l) => l.close());
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all([redis?.dispose(), smtp?.close(), pb?.dispose()]);
});

const LIMIT_MS = 1_000;

type Watched = LiveClient & { closedAt: Promise<{ code: number; at: number }> };

async function live(base: string, roomId: string, opts: Parameters<typeof openLive>[2]): Promise<Watched> {
  const l = await openLive(base, roomId, opts);
  open.push(l);
  await l.waitFor((m) => m.type === 'snapshot');
  // Closing time taken when the close happens, not when the test gets round to awaiting it.
  return Object.assign(l, { closedAt: l.closed.then((c) => ({ code: c.code, at: Date.now() })) });
}

/** Runs `action` (an HTTP change through A) and checks each socket closes with `code` within LIMIT_MS of its answer. */
async function closesAfter(action: () => Promise<{ status: number }>, status: number, sockets: Watched[], code: number) {
  const reply = await action();
  expect(reply.status).toBe(status);
  const answeredAt = Date.now();
  for (const s of sockets) {
    const closed = await s.closedAt;
    expect(closed.code).toBe(code);
    expect(closed.at - answeredAt).toBeLessThan(LIMIT_MS);
  }
}

/** Still open: a ping sent after the revocation was handled is answered and the socket is open. */
async function staysOpen(...sockets: LiveClient[]) {
  for (const s of sockets) {
    const id = Math.floor(Math.random() * 1e9);
    s.send({ type: 'ping', id, t0: 1 });
    await s.waitFor((m) => m.type === 'pong' && m.id === id);
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
  }
}

/** A second sign-in of the same member (another device): its own session. */
async function secondDevice(m: { email: string; password: string }, base: string) {
  const c = client(base);
  const r = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
  expect(r.status).toBe(200);
  return c;
}

describe('live authorization is continuous, across processes', () => {
  it('revoking one session (DELETE /auth/sessions/:id) closes that session’s control socket on B; the other device stays', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const laptop = await secondDevice(coach.m, a.url);
    const onLaptop = await live(b.url, room.id, { cookie: cookieOf(laptop), hello: controlHello });
    const onPhone = await live(b.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    const laptopSession = (await coach.c.get('/api/v1/auth/sessions')).body.sessions.find((s: { current: boolean }) => !s.current).id;
    await closesAfter(() => coach.c.del(`/api/v1/auth/sessions/${laptopSession}`), 204, [onLaptop], 4403);
    await staysOpen(onPhone);
  });

  it('logout closes that device’s control socket on B', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const laptop = await secondDevice(coach.m, a.url);
    const onLaptop = await live(b.url, room.id, { cookie: cookieOf(laptop), hello: controlHello });
    const onPhone = await live(b.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    await closesAfter(() => laptop.post('/api/v1/auth/logout', {}), 204, [onLaptop], 4403);
    await staysOpen(onPhone);
  });

  it('revoke-all closes every control socket of the member on both processes; displays stay', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const d = await createDisplay(coach.c, room.id);
    const laptop = await secondDevice(coach.m, a.url);
    const onB = await live(b.url, room.id, { cookie: cookieOf(laptop), hello: controlHello });
    const onA = await live(a.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    const display = await live(b.url, room.id, { hello: displayHello(d.token) });
    await closesAfter(() => coach.c.post('/api/v1/auth/sessions/revoke-all', {}), 204, [onB, onA], 4403);
    await staysOpen(display);
  });

  it('a password reset signs the member out of their control sockets on B', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const other = await signUp(a.url);
    const { room: otherRoom } = await createRoom(other.c);
    const ctl = await live(b.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    const bystander = await live(b.url, otherRoom.id, { cookie: cookieOf(other.c), hello: controlHello });
    const c = client(a.url);
    expect((await c.post('/api/v1/auth/password/forgot', { email: coach.m.email })).status).toBe(202);
    const mail = await smtp.waitFor((x) => x.to.includes(coach.m.email) && /reset/i.test(x.subject));
    const link = mail.links.find((l) => l.includes('/reset-password'))!;
    const token = new URL(link).searchParams.get('token')!;
    await closesAfter(() => c.post('/api/v1/auth/password/reset', { token, password: 'a brand new passphrase 7' }), 204, [ctl], 4403);
    await staysOpen(bystander);
  });

  it('deleting the account closes its control sockets and every screen of its rooms on B; other rooms stay', async () => {
    const owner = await signUp(a.url);
    const { room } = await createRoom(owner.c);
    const d = await createDisplay(owner.c, room.id);
    const other = await signUp(a.url);
    const { room: otherRoom } = await createRoom(other.c);
    const d2 = await createDisplay(other.c, otherRoom.id);
    const ctl = await live(b.url, room.id, { cookie: cookieOf(owner.c), hello: controlHello });
    const display = await live(b.url, room.id, { hello: displayHello(d.token) });
    const otherDisplay = await live(b.url, otherRoom.id, { hello: displayHello(d2.token) });
    const deleted = await owner.c.del('/api/v1/me', { password: owner.m.password });
    expect(deleted.status).toBe(204);
    const answeredAt = Date.now();
    for (const s of [ctl, display]) {
      const closed = await s.closedAt;
      expect([4403, 4404]).toContain(closed.code);
      expect(closed.at - answeredAt).toBeLessThan(LIMIT_MS);
    }
    await staysOpen(otherDisplay);
  });

  it('removing a co-coach closes their control socket on B; the owner’s stays', async () => {
    const owner = await signUp(a.url);
    const helper = await signUp(a.url);
    const { room } = await createRoom(owner.c);
    await inviteAndAccept(pb, owner, helper, room.id);
    const helperCtl = await live(b.url, room.id, { cookie: cookieOf(helper.c), hello: controlHello });
    const ownerCtl = await live(b.url, room.id, { cookie: cookieOf(owner.c), hello: controlHello });
    await closesAfter(() => owner.c.del(`/api/v1/rooms/${room.id}/co-coaches/${helper.user.id}`), 200, [helperCtl], 4403);
    await staysOpen(ownerCtl);
  });

  it('kicking a participant closes its phone on B; the other phone stays', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const g1 = await joinAsGuest(a.url, room.joinCode);
    const g2 = await joinAsGuest(a.url, room.joinCode);
    const p1 = await live(b.url, room.id, { hello: participantHello(g1.token) });
    const p2 = await live(b.url, room.id, { hello: participantHello(g2.token) });
    await closesAfter(() => coach.c.del(`/api/v1/rooms/${room.id}/participants/${g1.participantId}`), 204, [p1], 4403);
    await staysOpen(p2);
  });

  it('revoking a display closes it on B; another display stays', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const [d1, d2] = [await createDisplay(coach.c, room.id), await createDisplay(coach.c, room.id)];
    const s1 = await live(b.url, room.id, { hello: displayHello(d1.token) });
    const s2 = await live(b.url, room.id, { hello: displayHello(d2.token) });
    await closesAfter(() => coach.c.del(`/api/v1/rooms/${room.id}/displays/${d1.display.id}`), 204, [s1], 4403);
    await staysOpen(s2);
  });

  it('pairing a display by code: the paired screen wins, the screen open through the link is closed on B (defect 16)', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const d = await createDisplay(coach.c, room.id);
    const d2 = await createDisplay(coach.c, room.id);
    const viaLink = await live(b.url, room.id, { hello: displayHello(d.token) });
    const otherDisplay = await live(b.url, room.id, { hello: displayHello(d2.token) });
    const gym = client(a.url);
    let token = '';
    await closesAfter(
      async () => {
        const r = await gym.post('/api/v1/rooms/pair', { code: d.pairingCode });
        token = r.body.token;
        return r;
      },
      200,
      [viaLink],
      4403,
    );
    const paired = await live(b.url, room.id, { hello: displayHello(token) });
    await staysOpen(paired, otherDisplay);
    // The link no longer opens a screen.
    const again = await openLive(b.url, room.id, { hello: displayHello(d.token) });
    open.push(again);
    expect((await again.closed).code).toBe(4401);
  });

  it('deleting a room closes every socket of it on B; another room’s stay', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const { room: kept } = await createRoom(coach.c, 'Kept');
    const d = await createDisplay(coach.c, room.id);
    const dk = await createDisplay(coach.c, kept.id);
    const g = await joinAsGuest(a.url, room.joinCode);
    const sockets = [
      await live(b.url, room.id, { hello: displayHello(d.token) }),
      await live(b.url, room.id, { hello: participantHello(g.token) }),
      await live(b.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello }),
    ];
    const keptDisplay = await live(b.url, kept.id, { hello: displayHello(dk.token) });
    await closesAfter(() => coach.c.del(`/api/v1/rooms/${room.id}`), 204, sockets, 4404);
    await staysOpen(keptDisplay);
  });
});
