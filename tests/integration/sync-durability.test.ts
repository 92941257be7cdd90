import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type Change, type Mutation, type PushRequest } from '../../core/sync';
import { chunkPuts, hourOfReadings, liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// Two sync-server processes on one PocketBase, and crashes of either side mid-push.
let pb: TestPocketBase;
let a: TestServer;
let b: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  const env = { LOG_LEVEL: 'debug' };
  [a, b] = await Promise.all([startSyncServer({ pb, env }), startSyncServer({ pb, env })]);
  admin = new PocketBase(pb.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pb?.dispose();
});

type Device = ReturnType<typeof client> & { deviceId: string };

async function signUp() {
  const m = newMember('dur');
  expect((await client(a.url).post('/api/v1/auth/register', m)).status).toBe(202);
  const login = client(a.url);
  const r = await login.post('/api/v1/auth/login', { email: m.email, password: m.password });
  expect(r.status).toBe(200);
  const userId: string = r.body.user.id;
  /** A device with this member's cookie, talking to `base` (the jar is copied, as behind a load balancer). */
  const device = (base: string, deviceId: string): Device => {
    const c = client(base);
    for (const [k, v] of login.jar) c.jar.set(k, v);
    return Object.assign(c, { deviceId });
  };
  return { userId, device };
}

async function pullAll(d: Device, cursor: string | null = null, limit = 50) {
  const changes: Change[] = [];
  const cursors: string[] = [];
  for (;;) {
    const r = await d.get(`/api/v1/sync/pull?${new URLSearchParams({ protocol: '1', deviceId: d.deviceId, cursor: cursor ?? '', limit: String(limit) })}`);
    expect(r.status, r.text).toBe(200);
    const page = PullResponseSchema.parse(r.body);
    changes.push(...page.changes);
    cursors.push(page.cursor);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, cursors };
  }
}

/** The sequence inside our cursor format `<epoch>.<seq>.<mark>`; tests may look, clients may not. */
const seqOf = (cursor: string) => Number(cursor.split('.')[1]);

const count = (collection: string, userId: string) =>
  admin.collection(collection).getList(1, 1, { filter: admin.filter('member = {:m}', { m: userId }) }).then((r) => r.totalItems);

/** A push of many small chunks: large enough that a crash can land in the middle of it. */
async function largePush(deviceId: string, sessions: number, seed: number): Promise<PushRequest> {
  const mutations: Mutation[] = [];
  for (let i = 0; i < sessions; i++) {
    const s = liveSession({ startedAt: Date.now() - (i + 2) * 3600_000, deviceId });
    mutations.push(upsert(s), ...(await chunkPuts(s.id, hourOfReadings(s.startedAt, seed + i, 1800), 60)));
  }
  return pushBody(deviceId, mutations);
}

/** Sends a push and swallows transport errors (the process we talk to may be killed). */
const attempt = (d: Device, body: PushRequest) => d.post('/api/v1/sync/push', body).catch((e: Error) => ({ status: 0, body: null, text: e.message }));

async function expectExactlyStored(d: Device, userId: string, body: PushRequest) {
  const retry = await d.post('/api/v1/sync/push', body);
  expect(retry.status, retry.text).toBe(200);
  const results = PushResponseSchema.parse(retry.body).results;
  // Either the first attempt committed (all duplicate) or it did not (all applied): never a mix.
  const statuses = new Set(results.map((r) => r.status));
  expect(statuses.size).toBe(1);
  expect(['applied', 'duplicate']).toContain([...statuses][0]);
  const chunks = body.mutations.filter((m) => m.type === 'chunk.put').length;
  expect(await count('sync_chunks', userId)).toBe(chunks);
  expect(await count('sync_sessions', userId)).toBe(body.mutations.length - chunks);
  expect(await count('sync_mutations', userId)).toBe(body.mutations.length);
  const pulled = await pullAll(d, null, 1000);
  expect(pulled.changes.filter((c) => c.kind === 'chunk')).toHaveLength(chunks);
  const again = await d.post('/api/v1/sync/push', body);
  expect(PushResponseSchema.parse(again.body).results.every((r) => r.status === 'duplicate')).toBe(true);
  return [...statuses][0];
}

describe('sync durability', () => {
  it('two processes pushing concurrently: unique, monotonic cursors; a concurrent puller skips nothing', async () => {
    const { userId, device } = await signUp();
    const pushes: PushRequest[] = [];
    for (let i = 0; i < 16; i++) {
      const s = liveSession({ startedAt: Date.now() - (i + 2) * 3600_000, deviceId: `dev-${i % 4}` });
      pushes.push(pushBody(`dev-${i % 4}`, [upsert(s), ...(await chunkPuts(s.id, hourOfReadings(s.startedAt, 40 + i, 240), 60))]));
    }
    // A reader polls through both processes while the pushes run.
    let done = false;
    const reader = device(a.url, 'reader');
    const readerOnB = device(b.url, 'reader');
    const seen = new Set<string>();
    const readerCursors: number[] = [];
    const poll = (async () => {
      let cursor: string | null = null;
      for (let round = 0; ; round++) {
        const finished = done;
        const r = await pullAll(round % 2 ? readerOnB : reader, cursor, 7);
        for (const c of r.changes) seen.add(c.kind === 'chunk' ? `${c.sessionId}:${c.index}` : c.record.id);
        readerCursors.push(...r.cursors.map(seqOf));
        cursor = r.cursor;
        if (finished) return;
      }
    })();
    const results = await Promise.all(pushes.map((body, i) => device(i % 2 ? b.url : a.url, body.deviceId).post('/api/v1/sync/push', body)));
    done = true;
    await poll;

    const heads = results.map((r) => {
      expect(r.status, r.text).toBe(200);
      const res = PushResponseSchema.parse(r.body);
      expect(res.results.every((x) => x.status === 'applied')).toBe(true);
      return seqOf(res.cursor);
    });
    expect(new Set(heads).size).toBe(pushes.length);
    expect(await count('sync_commits', userId)).toBe(pushes.length);
    // Every change of every push reached the reader, and its cursor never went backwards.
    const expected = pushes.flatMap((p) => p.mutations.map((m) => (m.type === 'chunk.put' ? `${m.sessionId}:${m.index}` : m.type === 'session.upsert' ? m.session.id : '')));
    expect([...seen].sort()).toEqual(expected.sort());
    expect(readerCursors).toEqual([...readerCursors].sort((x, y) => x - y));
    expect(Math.max(...readerCursors)).toBe(Math.max(...heads));
    // The pushes did race for the head (and the losers planned again).
    expect((a.logs() + b.logs()).match(/planning again/g)?.length ?? 0).toBeGreaterThan(0);
  });

  it('SIGKILL of the sync server in the middle of a large push: a retry stores everything exactly once', async () => {
    // How long such a push takes here, so the kills land early, midway and near the end.
    const probe = await signUp();
    const t0 = performance.now();
    const timed = await probe.device(a.url, 'probe').post('/api/v1/sync/push', await largePush('probe', 10, 200));
    expect(timed.status).toBe(200);
    const duration = performance.now() - t0;
    const outcomes: string[] = [];
    let victim = await startSyncServer({ pb });
    try {
      for (const [i, fraction] of [0.05, 0.6, 0.95].entries()) {
        const { userId, device } = await signUp();
        const body = await largePush(`phone-${i}`, 10, 300 + i * 10); // 10 sessions × 30 chunks
        const inFlight = attempt(device(victim.url, body.deviceId), body);
        await new Promise((r) => setTimeout(r, fraction * duration));
        await victim.stop('SIGKILL');
        await inFlight;
        // Restart, and the client retries through the new process (the next round's victim).
        victim = await startSyncServer({ pb });
        outcomes.push((await expectExactlyStored(device(victim.url, body.deviceId), userId, body))!);
      }
    } finally {
      await victim.stop();
    }
    console.info(`push takes ${duration.toFixed(0)} ms; retry after SIGKILL at 5/60/95 %: ${outcomes.join(', ')}`);
    // The early kill lands before the commit: the retry is what stores the push.
    expect(outcomes[0]).toBe('applied');
  });

  it('PocketBase stopped in the middle of a push: after it is back, a retry stores everything exactly once', async () => {
    const { userId, device } = await signUp();
    const phone = device(b.url, 'phone-pb');
    const body = await largePush(phone.deviceId, 10, 700);
    const inFlight = attempt(phone, body);
    await new Promise((r) => setTimeout(r, 60));
    await pb.stop();
    const during = await inFlight;
    console.info(`push while PocketBase stopped: HTTP ${during.status}`);
    expect([0, 200, 503]).toContain(during.status);
    await pb.start();
    await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
    await expectExactlyStored(phone, userId, body);
  });
});

