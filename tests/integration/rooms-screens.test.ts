import { describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { controlHello, cookieOf, createDisplay, createRoom, displayHello, inviteAndAccept, signUp, useTwoProcesses } from './rooms-support';

// The room's screen settings and each screen's live link, across two sync-server processes
// sharing Redis (issue 14): a coach on process A sets the tile order, a display on process B
// gets it at once; the control page's screen states come from presence on the bus.
const two = useTwoProcesses();
const live = two.live;

/** The same member's session on the other process. */
function on(base: string, c: ReturnType<typeof client>) {
  const other = client(base);
  for (const [k, v] of c.jar) other.jar.set(k, v);
  return other;
}

const states = async (c: ReturnType<typeof client>, roomId: string) =>
  Object.fromEntries(((await c.get(`/api/v1/rooms/${roomId}/displays`)).body.displays as Array<{ id: string; state: string }>).map((d) => [d.id, d.state]));

describe('room screen settings across two processes', () => {
  it('a coach sets the tile order on A; a display on B gets it live and in its next snapshot', async () => {
    const coach = await signUp(two.a.url);
    const { room } = await createRoom(coach.c);
    expect((await coach.c.get(`/api/v1/rooms/${room.id}`)).body.room.tileSort).toBe('name');
    const d = await createDisplay(coach.c, room.id);
    const display = await live(two.b.url, room.id, { hello: displayHello(d.token) });
    const snap = await display.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(snap.room.sort).toBe('name');

    const set = await coach.c.put(`/api/v1/rooms/${room.id}/tile-sort`, { mode: 'points' });
    expect(set.status).toBe(200);
    expect(set.body.room.tileSort).toBe('points');
    const msg = await display.waitFor<ServerMessageOf<'room'>>((m) => m.type === 'room' && m.room.sort === 'points');
    expect(msg.room).toMatchObject({ id: room.id, name: room.name, joinCode: room.joinCode });

    // Kept in PocketBase: a display connecting later (on A) starts with it; a rename keeps it.
    expect((await on(two.b.url, coach.c).patch(`/api/v1/rooms/${room.id}`, { name: 'Renamed' })).status).toBe(200);
    const later = await live(two.a.url, room.id, { hello: displayHello((await createDisplay(coach.c, room.id)).token) });
    expect((await later.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot')).room).toMatchObject({ name: 'Renamed', sort: 'points' });
  });

  it('is validated, and only the room’s coaches may set it: 401 signed out, 403 for another member and for a removed co-coach', async () => {
    const owner = await signUp(two.a.url);
    const helper = await signUp(two.a.url);
    const stranger = await signUp(two.b.url);
    const { room } = await createRoom(owner.c);
    const put = (c: ReturnType<typeof client>, body: unknown) => c.put(`/api/v1/rooms/${room.id}/tile-sort`, body);

    const bad = await put(owner.c, { mode: 'random' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect((await put(owner.c, { mode: 'zone', extra: 1 })).status).toBe(400);

    const anon = await put(client(two.a.url), { mode: 'zone' });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');

    const forbidden = await put(stranger.c, { mode: 'zone' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ code: 'forbidden', message: expect.any(String) });
    expect((await client(two.a.url).put('/api/v1/rooms/zzzzzzzzzzzzzzz/tile-sort', { mode: 'zone' })).status).toBe(401);
    expect((await put(stranger.c, { mode: 'zone' })).status).toBe(403);
    expect((await stranger.c.put('/api/v1/rooms/zzzzzzzzzzzzzzz/tile-sort', { mode: 'zone' })).status).toBe(404);

    // A co-coach may, through either process; once removed, not any more.
    await inviteAndAccept(two.pb, owner, helper, room.id);
    expect((await on(two.b.url, helper.c).put(`/api/v1/rooms/${room.id}/tile-sort`, { mode: 'zone' })).status).toBe(200);
    expect((await owner.c.del(`/api/v1/rooms/${room.id}/co-coaches/${helper.user.id}`)).status).toBe(200);
    const removed = await on(two.b.url, helper.c).put(`/api/v1/rooms/${room.id}/tile-sort`, { mode: 'points' });
    expect(removed.status).toBe(403);
    expect(removed.body.error.code).toBe('forbidden');
    expect((await owner.c.get(`/api/v1/rooms/${room.id}`)).body.room.tileSort).toBe('zone');
  });

  it('each screen’s state is the server’s view of its socket, on either process: waiting, live, reconnecting, then gone when revoked', async () => {
    const coach = await signUp(two.a.url);
    const { room } = await createRoom(coach.c);
    const control = await live(two.a.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });
    await control.waitFor((m) => m.type === 'snapshot');
    const byLink = await createDisplay(coach.c, room.id);
    const byCode = await createDisplay(coach.c, room.id);
    expect(await states(coach.c, room.id)).toEqual({ [byLink.display.id]: 'waiting', [byCode.display.id]: 'waiting' });

    // Opened by link on B (its pairing code unused): live, seen from A and from B.
    const screen = await live(two.b.url, room.id, { hello: displayHello(byLink.token) });
    await screen.waitFor((m) => m.type === 'snapshot');
    await control.waitFor((m) => m.type === 'display' && m.displayId === byLink.display.id && m.change === 'connected');
    expect((await states(coach.c, room.id))[byLink.display.id]).toBe('live');
    expect((await states(on(two.b.url, coach.c), room.id))[byLink.display.id]).toBe('live');

    // Paired by code, connected on A.
    const paired = await client(two.a.url).post('/api/v1/rooms/pair', { code: byCode.pairingCode });
    expect(paired.status).toBe(200);
    const pairedScreen = await live(two.a.url, room.id, { hello: displayHello(paired.body.token as string) });
    await pairedScreen.waitFor((m) => m.type === 'snapshot');
    await expect.poll(() => states(on(two.b.url, coach.c), room.id)).toEqual({ [byLink.display.id]: 'live', [byCode.display.id]: 'live' });

    // The link-opened screen's connection drops: reconnecting, on both processes.
    screen.ws.terminate();
    await control.waitFor((m) => m.type === 'display' && m.displayId === byLink.display.id && m.change === 'disconnected');
    await expect.poll(() => states(coach.c, room.id)).toEqual({ [byLink.display.id]: 'reconnecting', [byCode.display.id]: 'live' });
    expect((await states(on(two.b.url, coach.c), room.id))[byLink.display.id]).toBe('reconnecting');

    // It comes back (on A this time): live again.
    const back = await live(two.a.url, room.id, { hello: displayHello(byLink.token) });
    await back.waitFor((m) => m.type === 'snapshot');
    await expect.poll(async () => (await states(on(two.b.url, coach.c), room.id))[byLink.display.id]).toBe('live');

    // Revoked through B: the control socket on A is told, the screen is cut off, the list drops it.
    expect((await on(two.b.url, coach.c).del(`/api/v1/rooms/${room.id}/displays/${byCode.display.id}`)).status).toBe(204);
    await control.waitFor((m) => m.type === 'display' && m.displayId === byCode.display.id && m.change === 'revoked');
    expect((await pairedScreen.closed).code).toBe(4403);
    expect(Object.keys(await states(coach.c, room.id))).toEqual([byLink.display.id]);
    // Displays and participants never get these control messages.
    expect(back.messages.some((m) => m.type === 'display')).toBe(false);
  });
});
