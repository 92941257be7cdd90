import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { afterAll, beforeAll } from 'vitest';
import { parseServerMessage, type ServerMessage } from '../../core/rooms';
import { tabataPlan } from '../../core/workout';
import { createDb } from '../../sync-server/src/pocketbase/admin-client';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { freePort } from '../support/ports';

/** Class-mode helpers for the rooms-*.test.ts files: a `ws` live client and REST shortcuts. */

export interface LiveClient {
  ws: WebSocket;
  messages: ServerMessage[];
  send(msg: unknown): void;
  /** The first message (already received or future) matching `pred`. */
  waitFor<T extends ServerMessage = ServerMessage>(pred: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function openLive(
  base: string,
  roomId: string,
  opts: { origin?: string | null; cookie?: string; hello?: unknown } = {},
): Promise<LiveClient> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  const origin = opts.origin === undefined ? base : opts.origin;
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/rooms/${roomId}/live`, { headers, ...(origin ? { origin } : {}) });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    const r = parseServerMessage(String(data));
    if (!r.ok) throw new Error(`server sent an invalid message: ${r.message}: ${String(data).slice(0, 200)}`);
    messages.push(r.message);
    waiters.forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  const live: LiveClient = {
    ws,
    messages,
    send: (msg) => ws.send(JSON.stringify(msg)),
    waitFor<T extends ServerMessage>(pred: (m: ServerMessage) => boolean, timeoutMs = 5_000) {
      return new Promise<T>((resolve, reject) => {
        let from = 0;
        const check = () => {
          for (; from < messages.length; from++) {
            if (pred(messages[from]!)) {
              cleanup();
              return resolve(messages[from] as T);
            }
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out; got: ${messages.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => ws.close(),
  };
  if (opts.hello) live.send(opts.hello);
  return live;
}

/** The status an upgrade attempt is refused with (or 101). */
export function upgradeStatus(base: string, roomId: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/rooms/${roomId}/live`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

export const cookieOf = (c: ReturnType<typeof client>) => [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');

export async function signUp(base: string) {
  const m = newMember('coach');
  const c = client(base);
  await c.post('/api/v1/auth/register', m);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
  return { c, m, user: login.body.user as { id: string; name: string; email: string } };
}

export async function createRoom(coach: ReturnType<typeof client>, name = 'Tuesday HIIT', plan: unknown = tabataPlan(4)) {
  const r = await coach.post('/api/v1/rooms', { name, plan });
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${r.text}`);
  return r.body as { room: { id: string; joinCode: string; name: string }; timer: { revision: number } };
}

export async function createDisplay(coach: ReturnType<typeof client>, roomId: string) {
  const r = await coach.post(`/api/v1/rooms/${roomId}/displays`, { name: 'Big screen' });
  if (r.status !== 201) throw new Error(`create display: ${r.status} ${r.text}`);
  return r.body as { display: { id: string }; token: string; pairingCode: string; linkPath: string };
}

let devices = 0;
export const newDeviceId = () => `dev-${Date.now().toString(36)}-${++devices}-${Math.random().toString(36).slice(2, 8)}`;

export async function joinAsGuest(base: string, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const c = client(base);
  const body = { code, deviceId: newDeviceId(), name: 'Guest Gail', age: 34, sex: 'female', weightKg: 61, ...extra };
  const r = await c.post('/api/v1/rooms/join', body, headers);
  return { reply: r, deviceId: body.deviceId as string, token: r.body?.token as string, participantId: r.body?.participant?.id as string };
}

export const displayHello = (token: string) => ({ type: 'hello', v: 1, role: 'display', token });
export const participantHello = (token: string) => ({ type: 'hello', v: 1, role: 'participant', token });
export const controlHello = { type: 'hello', v: 1, role: 'control' };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real redis-server on a free port, which tests can stop and start again on the same port (an outage). */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops Redis, then starts it again; resolves when it accepts connections. */
  outage(): Promise<void>;
  /** Freezes Redis (SIGSTOP: connections stay open, nothing answers), runs `whileFrozen`, thaws it. */
  freeze(whileFrozen: () => Promise<void>): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async () => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      p.stdout!.on('data', (d) => {
        out += d;
        if (/ready to accept connections/i.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited ${code}:\n${out}`));
      });
    });
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async outage() {
      await stop();
      await start();
    },
    async freeze(whileFrozen) {
      const p = proc;
      if (!p) throw new Error('redis-server is not running');
      p.kill('SIGSTOP');
      try {
        await whileFrozen();
      } finally {
        p.kill('SIGCONT');
      }
    },
    dispose: stop,
  };
}

/** Marks the member's address as confirmed (as the mailed link does). */
export async function verifyEmail(test: TestPocketBase, userId: string) {
  const db = createDb(test.url, test.superuser);
  await db.connect();
  await db.pb.collection('users').update(userId, { verified: true });
}

type Member = Awaited<ReturnType<typeof signUp>>;

/**
 * Makes `helper` a co-coach the only way there is: the owner invites by email (202, whatever the
 * address), the helper confirms their address and accepts from their own account.
 */
export async function inviteAndAccept(test: TestPocketBase, owner: Member, helper: Member, roomId: string) {
  const invited = await owner.c.post(`/api/v1/rooms/${roomId}/co-coaches`, { email: helper.m.email });
  if (invited.status !== 202) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  await verifyEmail(test, helper.user.id);
  const mine = await helper.c.get('/api/v1/rooms/invitations');
  const inv = (mine.body.invitations as Array<{ id: string; room: { id: string } }>).find((i) => i.room.id === roomId);
  if (!inv) throw new Error('the invitation did not reach the invitee');
  const accepted = await helper.c.post(`/api/v1/rooms/invitations/${inv.id}/accept`);
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  return accepted.body.room as { coCoaches: Array<{ id: string; name: string }> };
}

/**
 * Two sync-server processes sharing one PocketBase and one Redis (REDIS_URL), started before the
 * file's tests and stopped after them: what a deployment with two processes looks like. `live`
 * opens a live socket that is closed at the end.
 */
export interface TwoProcesses {
  pb: TestPocketBase;
  redis: TestRedis;
  a: TestServer;
  b: TestServer;
  live(...args: Parameters<typeof openLive>): Promise<LiveClient>;
}

export function useTwoProcesses(): TwoProcesses {
  const open: LiveClient[] = [];
  const two = {
    async live(...args: Parameters<typeof openLive>) {
      const l = await openLive(...args);
      open.push(l);
      return l;
    },
  } as TwoProcesses;
  beforeAll(async () => {
    [two.pb, two.redis] = await Promise.all([startTestPocketBase(), startRedis()]);
    const env = { REDIS_URL: two.redis.url };
    [two.a, two.b] = await Promise.all([startSyncServer({ pb: two.pb, env }), startSyncServer({ pb: two.pb, env })]);
  });
  afterAll(async () => {
    open.forEach((l) => l.close());
    await Promise.all([two.a?.stop(), two.b?.stop()]);
    await Promise.all([two.redis?.dispose(), two.pb?.dispose()]);
  });
  return two;
}
