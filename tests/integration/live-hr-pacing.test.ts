import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { createDisplay, createRoom, displayHello, joinAsGuest, openLive, participantHello, signUp, sleep, type LiveClient } from './rooms-support';

/**
 * Issue 11, defect 8: heart rate is paced by the sender's own seq/t. A server stall of 2 s
 * (the process stopped with SIGSTOP) bunches an honest 1 Hz sender's frames; none is lost.
 * A flood with fake timestamps is still cut to the server-time budget.
 */
const server = useTestServer();
const open: LiveClient[] = [];

afterAll(() => open.forEach((l) => l.close()));

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  await l.waitFor((m) => m.type === 'snapshot');
  return l;
}

async function classroom() {
  const coach = await signUp(server.url);
  const { room } = await createRoom(coach.c);
  const d = await createDisplay(coach.c, room.id);
  const display = await live(server.url, room.id, { hello: displayHello(d.token) });
  const g = await joinAsGuest(server.url, room.joinCode);
  const phone = await live(server.url, room.id, { hello: participantHello(g.token) });
  return { room, display, phone, g };
}

const hrsOf = (l: LiveClient, participantId: string) => l.messages.filter((m): m is ServerMessageOf<'hr'> => m.type === 'hr' && m.participantId === participantId);

describe('heart-rate pacing by the sender’s clock', () => {
  it('a 2 s server stall loses nothing an honest 1 Hz phone sent', async () => {
    const { display, phone, g } = await classroom();
    const N = 7;
    const t0 = performance.now();
    try {
      for (let i = 0; i < N; i++) {
        phone.send({ type: 'hr', bpm: 100 + i, seq: i, t: performance.now() - t0 });
        if (i === 1) server.proc.kill('SIGSTOP');
        if (i === 3) server.proc.kill('SIGCONT');
        if (i < N - 1) await sleep(1_000);
      }
    } finally {
      server.proc.kill('SIGCONT'); // never leave a stopped server behind
    }
    // The last frame arrives on time under any rule; everything before it arrived first.
    await display.waitFor((m: ServerMessage) => m.type === 'hr' && m.bpm === 100 + N - 1, 10_000);
    const got = hrsOf(display, g.participantId);
    expect(got.map((h) => h.bpm)).toEqual(Array.from({ length: N }, (_, i) => 100 + i));
    // Server times keep the sender's spacing (not all bunched at the stall's end), and never go back.
    const ats = got.map((h) => h.at);
    expect([...ats].sort((x, y) => x - y)).toEqual(ats);
    expect(ats[3]! - ats[2]!).toBeGreaterThan(500);
  });

  it('a flood with fake, well-spaced timestamps is still cut off', async () => {
    const { room, display, phone, g } = await classroom();
    const started = Date.now();
    let seq = 0;
    // 40 frames in bursts of 8 (two bursts bunched by a slow server stay under the 20 frames/s socket limit).
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 8; i++, seq++) phone.send({ type: 'hr', bpm: 60 + (seq % 100), seq, t: seq * 1_000 });
      if (burst < 4) await sleep(1_100);
    }
    // Every frame handled (the pong comes after them), then the leave's event comes after every hr.
    phone.send({ type: 'ping', id: 1, t0: 0 });
    await phone.waitFor((m) => m.type === 'pong');
    const elapsed = Date.now() - started;
    expect((await client(server.url).post(`/api/v1/rooms/${room.id}/leave`, {}, { authorization: `Bearer ${g.token}` })).status).toBe(204);
    await display.waitFor((m) => m.type === 'participant-left');
    const accepted = hrsOf(display, g.participantId).length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(10 + Math.ceil(elapsed / 750));
    expect(accepted).toBeLessThan(40);
  });
});
