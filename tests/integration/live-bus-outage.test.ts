import { describe, expect, it } from 'vitest';
import { initialDisplayState, reduceDisplay, type ServerMessage } from '../../core/rooms';
import { client } from '../support/http-client';
import { controlHello, cookieOf, createDisplay, createRoom, displayHello, openLive, signUp, useTwoProcesses, type LiveClient } from './rooms-support';

/**
 * Issue 11, defect 7 and "after a bus outage every screen converges": timer commands stored and
 * answered ok while Redis is down reach every open screen, on both processes, within 5 s of
 * Redis coming back (the hubs resync from PocketBase), and the bus carries events again after.
 */
const two = useTwoProcesses();

async function live(...args: Parameters<typeof openLive>) {
  const l = await two.live(...args);
  await l.waitFor((m) => m.type === 'snapshot');
  return l;
}

const revisionOf = (l: LiveClient) => l.messages.reduce(reduceDisplay, initialDisplayState).timer?.revision ?? -1;
const reaches = (revision: number) => (m: ServerMessage) => (m.type === 'timer' && m.state.revision >= revision) || (m.type === 'snapshot' && m.timer.revision >= revision);

describe('after a Redis outage every screen converges to the stored room state', () => {
  it('timer commands answered ok during the outage reach the displays on both processes within 5 s of Redis returning', async () => {
    const coach = await signUp(two.a.url);
    const { room } = await createRoom(coach.c);
    const [d1, d2] = [await createDisplay(coach.c, room.id), await createDisplay(coach.c, room.id)];
    const onA = await live(two.a.url, room.id, { hello: displayHello(d1.token) });
    const onB = await live(two.b.url, room.id, { hello: displayHello(d2.token) });
    const ctl = await live(two.b.url, room.id, { cookie: cookieOf(coach.c), hello: controlHello });

    await two.redis.stop();
    // Through A's REST API and B's control socket: both stored, both answered ok.
    expect((await coach.c.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    ctl.send({ type: 'timer', command: 'pause', requestId: 'during-outage' });
    expect(await ctl.waitFor((m) => m.type === 'command-result' && m.requestId === 'during-outage')).toMatchObject({ ok: true, revision: 2 });

    // A screen connecting while Redis is down still opens, with the stored state.
    const d3 = await createDisplay(coach.c, room.id);
    const during = await live(two.a.url, room.id, { hello: displayHello(d3.token) });
    expect(revisionOf(during)).toBe(2);

    await two.redis.start();
    await Promise.all([onA.waitFor(reaches(2), 5_000), onB.waitFor(reaches(2), 5_000)]);
    expect([revisionOf(onA), revisionOf(onB)]).toEqual([2, 2]);

    // The bus carries events again: a command through B reaches the display on A.
    const viaB = client(two.b.url);
    for (const [k, v] of coach.c.jar) viaB.jar.set(k, v);
    expect((await viaB.post(`/api/v1/rooms/${room.id}/timer`, { command: 'resume' })).status).toBe(200);
    await Promise.all([onA.waitFor(reaches(3)), during.waitFor(reaches(3))]);
    expect([revisionOf(onA), revisionOf(during)]).toEqual([3, 3]);
  });
});
