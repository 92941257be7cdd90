import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialDisplayState, reduceDisplay, tilesAt, type ServerMessageOf } from '../../core/rooms';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { freePort } from '../support/ports';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { createDisplay, createRoom, displayHello, joinAsGuest, openLive, participantHello, signUp, sleep, type LiveClient } from './rooms-support';

// Two sync-server processes with REDIS_URL: live fan-out crosses processes through Redis.
let pb: TestPocketBase;
let redis: ChildProcess;
let a: TestServer;
let b: TestServer;
const open: LiveClient[] = [];

async function startRedis(): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      if (/ready to accept connections/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}:\n${out}`)));
  });
  return { proc, url: `redis://127.0.0.1:${port}` };
}

beforeAll(async () => {
  const [p, r] = await Promise.all([startTestPocketBase(), startRedis()]);
  pb = p;
  redis = r.proc;
  const env = { REDIS_URL: r.url };
  [a, b] = await Promise.all([startSyncServer({ pb, env }), startSyncServer({ pb, env })]);
});

afterAll(async () => {
  open.forEach((l) => l.close());
  await Promise.all([a?.stop(), b?.stop()]);
  redis?.kill('SIGTERM');
  await pb?.dispose();
});

async function live(...args: Parameters<typeof openLive>) {
  const l = await openLive(...args);
  open.push(l);
  return l;
}

describe('class mode across two processes (Redis)', () => {
  it('a participant on one process appears on a display attached to the other, with timer and revocation', async () => {
    const coach = await signUp(a.url);
    const { room } = await createRoom(coach.c);
    const d = await createDisplay(coach.c, room.id);
    const display = await live(b.url, room.id, { hello: displayHello(d.token) });
    await display.waitFor((m) => m.type === 'snapshot');

    const g = await joinAsGuest(a.url, room.joinCode);
    expect(g.reply.status).toBe(201);
    await display.waitFor((m) => m.type === 'participant' && m.participant.id === g.participantId);
    const phone = await live(a.url, room.id, { hello: participantHello(g.token) });
    await phone.waitFor((m) => m.type === 'snapshot');
    phone.send({ type: 'hr', bpm: 142 });
    const hr = await display.waitFor<ServerMessageOf<'hr'>>((m) => m.type === 'hr');
    expect(hr).toMatchObject({ participantId: g.participantId, bpm: 142 });
    const state = display.messages.reduce(reduceDisplay, initialDisplayState);
    expect(tilesAt(state, hr.at).map((t) => [t.participant.name, t.hr?.bpm])).toEqual([['Guest Gail', 142]]);

    // A second display on process A gets the heart rate in its snapshot (Redis memo).
    const d2 = await createDisplay(coach.c, room.id);
    const other = await live(a.url, room.id, { hello: displayHello(d2.token) });
    const snap = await other.waitFor<ServerMessageOf<'snapshot'>>((m) => m.type === 'snapshot');
    expect(snap.participants.map((p) => [p.id, p.hr?.bpm, p.hr?.at])).toEqual([[g.participantId, 142, hr.at]]);

    // A timer command through B reaches the phone on A.
    const viaB = client(b.url);
    for (const [k, v] of coach.c.jar) viaB.jar.set(k, v);
    expect((await viaB.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);
    await phone.waitFor((m) => m.type === 'timer' && m.state.revision === 1);

    // Revoked through A: the display on B is cut off; removed through B: the phone on A is.
    expect((await coach.c.del(`/api/v1/rooms/${room.id}/displays/${d.display.id}`)).status).toBe(204);
    expect((await display.closed).code).toBe(4403);
    expect((await viaB.del(`/api/v1/rooms/${room.id}/participants/${g.participantId}`)).status).toBe(204);
    expect((await phone.closed).code).toBe(4403);
    await other.waitFor((m) => m.type === 'participant-left');
    await sleep(50);
  });
});
