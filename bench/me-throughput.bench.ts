/**
 * The authenticated hot path (issue 11): throughput of GET /api/v1/me through the real sync
 * server on a real PocketBase, against a raw PocketBase single-record read on the same
 * machine, and their ratio. An authenticated request makes one PocketBase read (the session
 * with its member, auth/session-store.ts), so the ratio says what the server costs on top of
 * that read. Goal: >= 0.8.
 *
 * Both sides use the same client (fetch, keep-alive) with CLIENTS concurrent loops, each
 * round bounded by SECONDS and by MAX_REQUESTS, loopback only. Rounds alternate (raw, /me,
 * raw, /me, ...) so a busy machine weighs on both alike; the medians are compared.
 * Run: POCKETBASE_BIN=... node --import tsx bench/me-throughput.bench.ts
 * (CLIENTS=16 SECONDS=3 ROUNDS=3 MAX_REQUESTS=50000 LOG_LEVEL=info by default.)
 */
import PocketBase from 'pocketbase';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const CLIENTS = Number(process.env.CLIENTS ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const MAX_REQUESTS = Number(process.env.MAX_REQUESTS ?? 50_000);

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' } });
try {
  const m = newMember('bench');
  const c = client(server.url);
  await c.post('/api/v1/auth/register', m);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: 'bench' });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const userId = login.body.user.id as string;

  const admin = new PocketBase(pb.url);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  const token = admin.authStore.token;

  const me = { url: `${server.url}/api/v1/me`, headers: { cookie } };
  const raw = { url: `${pb.url}/api/collections/users/records/${userId}`, headers: { authorization: token } };

  /** Requests per second of CLIENTS loops fetching `target` for SECONDS (or MAX_REQUESTS). */
  async function measure(target: { url: string; headers: Record<string, string> }): Promise<number> {
    let n = 0;
    let failed = 0;
    const t0 = performance.now();
    const until = t0 + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until && n + failed < MAX_REQUESTS) {
          const res = await fetch(target.url, { headers: target.headers });
          await res.arrayBuffer();
          if (res.status === 200) n++;
          else failed++;
        }
      }),
    );
    if (failed) throw new Error(`${failed} requests to ${target.url} failed`);
    return n / ((performance.now() - t0) / 1000);
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  SECONDS > 1 && (await measure(raw), await measure(me)); // warm-up (JIT, connections)
  const raws: number[] = [];
  const mes: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    raws.push(await measure(raw));
    mes.push(await measure(me));
    console.log(`round ${r + 1}: raw PocketBase read ${raws[r]!.toFixed(0)}/s, GET /api/v1/me ${mes[r]!.toFixed(0)}/s`);
  }
  const rawMedian = median(raws);
  const meMedian = median(mes);
  console.log(`\n${CLIENTS} concurrent clients, ${SECONDS} s per round, ${ROUNDS} rounds (medians):`);
  console.log(`raw PocketBase single-record read: ${rawMedian.toFixed(0)} req/s`);
  console.log(`GET /api/v1/me through the sync server: ${meMedian.toFixed(0)} req/s`);
  console.log(`ratio /me / raw read: ${(meMedian / rawMedian).toFixed(2)} (goal >= 0.8)`);
} finally {
  await server.stop();
  await pb.dispose();
}
