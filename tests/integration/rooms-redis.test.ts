import { describe, expect, it } from 'vitest';
import { initialDisplayState, reduceDisplay, tilesAt, type ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { createDisplay, createRoom, displayHello, joinAsGuest, participantHello, signUp, useTwoProcesses } from './rooms-support';

// Two sync-server processes with REDIS_URL: live fan-out crosses processes through Redis.
const two = useTwoProcesses();
const live = two.live;

describe('class mode across two processes (Redis)', () => {
  it('a participant on one process appears on a display attached to the other, with timer and revocation', async () => {
    const coach = await signUp(two.a.url);
    const { room } = await createRoom(coach.c);
    const d = await createDisplay(coach.c, room.id);
    const display = await live(two.b.url, room.id, { hello: displayHello(d.token) });
    await display.waitFor((m) => m.type === 'snapshot');

    const g = await joinAsGuest(two.a.url, room.joinCode);
    expect(g.reply.status).toBe(201);
    await display.waitFor((m) => m.type === 'participant' && m.participant.id === g.participantId);
    const phone = await live(two.a.url, room.id, { hello: participantHello(g.token) });
    await phone.waitFor((m) => m.type === 'snapshot');
    phone.send({ type: 'hr', bpm: 142 });
    const hr = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr');
    expect(hr).toMatchObject({ participantId: g.participantId, bpm: 142 });
    const state = display.messages.reduce(reduceDisplay, initialDisplayState);
    expect(tilesAt(state, hr.at).map((t) => [t.participant.name, t.hr?.bpm])).toEqual([['Guest Gail', 142]]);

    // A second display on process A gets the heart rate in its snapshot (Redis memo).
    const d2 = await createDisplay(coach.c, room.id);
    const other = await live(two.a.url, room.id, { hello: displayHello(d2.token) });
    const snap = await other.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(snap.participants.map((p) => [p.id, p.hr?.bpm, p.hr?.at])).toEqual([[g.participantId, 142, hr.at]]);

    // A timer command through B reaches the phone on A.
    const viaB = client(two.b.url);
    for (const [k, v] of coach.c.jar) viaB.jar.set(k, v);
    expect((await viaB.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    await phone.waitFor((m) => m.type === 'timer' && m.state.revision === 1);

    // Revoked through A: the display on B is cut off; removed through B: the phone on A is.
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/displays/${d.display.id}`)).status).toBe(204);
    expect((await display.closed).code).toBe(4403);
    expect((await viaB.del(`/api/v1/rooms/${room.id}/participants/${g.participantId}`)).status).toBe(204);
    expect((await phone.closed).code).toBe(4403);
    await other.waitFor((m) => m.type === 'participant-left');
  });
});
