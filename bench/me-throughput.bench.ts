/**
 * The authenticated hot path (issue 11): throughput of GET /api/v1/me through the real sync
 * server on a real PocketBase, against raw PocketBase single-record reads on the same
 * machine, and their ratio. Goal: >= 0.8.
 *
 * What the ratio means: an authenticated request makes at most one PocketBase read (the
 * session with its member: one record of the `session_members` view, no expand;
 * auth/session-store.ts), and /me answers from it. Requests that arrive while such a read is
 * on the wire share the next one, a list read of their sessions (pocketbase/read-coalescer.ts:
 * never a cache, each request gets a read sent after it arrived), so under these 16 clients
 * the server pays PocketBase and the loopback hop once per batch. "session read" is the
 * single-record form of that read (same collection, query and superuser Authorization header
 * as the server sends) made directly to PocketBase, one per request; `/me / session read` is
 * the share of PocketBase's own throughput that survives the sync server in front of it (1.0:
 * the server costs nothing on top of its read; 0.5: it halves the throughput). "users read"
 * (a plain record of the `users` collection) is the other raw single-record read, with its
 * ratio. On 2 cores the bench client, the sync server and PocketBase share the CPUs, so the
 * server's CPU per request weighs directly.
 *
 * Fairness: every target is measured with the same client (fetch, undici keep-alive pool
 * warmed up beforehand), CLIENTS concurrent loops and the same number of requests (REQUESTS
 * per round), loopback only. Rounds alternate (session read, users read, /me, ...) so a busy
 * machine weighs on all alike; medians are compared. The load average is printed at start
 * and end: on a shared machine, compare figures only between runs made at a similar load,
 * and alternate base/change runs. The CPU each process (bench client, sync server, PocketBase;
 * from /proc, Linux) spends per request of each target is printed as well: it varies much
 * less with the machine's load than the throughputs, and the CPU ratio (raw read's total over
 * /me's total) is what the throughput ratio tends to on a CPU-bound machine with nothing else
 * running. The server logs every request at info (as in production), to a pipe read by this
 * process.
 * Run: POCKETBASE_BIN=... node --import tsx bench/me-throughput.bench.ts
 * (CLIENTS=16 REQUESTS=3000 ROUNDS=5 LOG_LEVEL=info by default.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import PocketBase from 'pocketbase';
import { SESSION_READ } from '../sync-server/src/auth/session-store';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const CLIENTS = Number(process.env.CLIENTS ?? 16);
const REQUESTS = Number(process.env.REQUESTS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`load average at start: ${load()} (${cpus().length} cores)`);

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
  const sessionId = decodeURIComponent(c.jar.get('hrm_session') ?? '').split('.')[0]!;
  if (!sessionId) throw new Error('no session cookie');

  const admin = new PocketBase(pb.url);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  const token = admin.authStore.token;

  // The read auth/session-store.ts sends: a record of the session_members view, no query.
  const sessionQuery = new URLSearchParams(SESSION_READ.query);
  type Target = { name: string; url: string; headers: Record<string, string> };
  const me: Target = { name: 'GET /api/v1/me', url: `${server.url}/api/v1/me`, headers: { cookie } };
  const session: Target = {
    name: 'session read',
    url: `${pb.url}/api/collections/${SESSION_READ.collection}/records/${sessionId}?${sessionQuery}`,
    headers: { authorization: token, accept: 'application/json' },
  };
  const users: Target = { name: 'users read', url: `${pb.url}/api/collections/users/records/${userId}`, headers: { authorization: token, accept: 'application/json' } };

  /** Requests per second of CLIENTS loops sharing `count` requests to `target`. */
  async function measure(target: Target, count = REQUESTS): Promise<number> {
    let started = 0;
    let failed = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (started < count) {
          started++;
          const res = await fetch(target.url, { headers: target.headers });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
        }
      }),
    );
    if (failed) throw new Error(`${failed} requests to ${target.url} failed`);
    return count / ((performance.now() - t0) / 1000);
  }

  /** CPU seconds (user + system) a process has used; null where /proc is missing (not Linux). */
  const cpuOf = (pid: number | undefined | null): number | null => {
    if (!pid) return null;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
    } catch {
      return null;
    }
  };
  /** The PocketBase process this bench started (our child), found in /proc; null elsewhere. */
  const pocketBasePid = ((): number | null => {
    try {
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === process.pid && comm.startsWith('pocketbase')) return Number(d);
        } catch {
          // gone meanwhile
        }
      }
    } catch {
      // no /proc
    }
    return null;
  })();
  type Cpu = { client: number; server: number | null; pocketbase: number | null };
  const cpuNow = (): Cpu => {
    const own = process.cpuUsage();
    return { client: (own.user + own.system) / 1e6, server: cpuOf(server.proc.pid), pocketbase: cpuOf(pocketBasePid) };
  };
  const cpuSpent = new Map<Target, Cpu>();
  const add = (a: number | null, b: number | null, c: number | null) => (a === null || b === null || c === null ? null : a + (c - b));
  /** measure(), also counting the CPU each process (bench client, sync server, PocketBase) spent on the target. */
  async function measured(t: Target): Promise<number> {
    const before = cpuNow();
    const rate = await measure(t);
    const after = cpuNow();
    const sum = cpuSpent.get(t) ?? { client: 0, server: 0, pocketbase: 0 };
    cpuSpent.set(t, {
      client: sum.client + (after.client - before.client),
      server: add(sum.server, before.server, after.server),
      pocketbase: add(sum.pocketbase, before.pocketbase, after.pocketbase),
    });
    return rate;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Warm-up: JIT on all three processes, and every client's keep-alive connections.
  for (const t of [session, users, me]) await measure(t, Math.min(REQUESTS, 1000));
  const figures = new Map<Target, number[]>([
    [session, []],
    [users, []],
    [me, []],
  ]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [t, xs] of figures) xs.push(await measured(t));
    console.log(`round ${r + 1}: ${[...figures].map(([t, xs]) => `${t.name} ${xs[r]!.toFixed(0)}/s`).join(', ')}`);
  }
  const s = median(figures.get(session)!);
  const u = median(figures.get(users)!);
  const mm = median(figures.get(me)!);
  console.log(`\n${CLIENTS} concurrent clients, ${REQUESTS} requests per target per round, ${ROUNDS} rounds (medians):`);
  console.log(`raw PocketBase session read (the read /me makes): ${s.toFixed(0)} req/s`);
  console.log(`raw PocketBase users read (plain record):         ${u.toFixed(0)} req/s`);
  console.log(`GET /api/v1/me through the sync server:           ${mm.toFixed(0)} req/s`);
  console.log(`ratio /me / session read: ${(mm / s).toFixed(2)} (goal >= 0.8)`);
  console.log(`ratio /me / users read:   ${(mm / u).toFixed(2)}`);
  // CPU per request of each process, per target: these vary much less with the machine's load
  // than the throughputs. On a CPU-bound machine throughput goes as 1 / (total CPU per request),
  // so the CPU ratio is what the throughput ratio tends to when nothing else runs (the sync
  // server's CPU while the raw reads run is its idle cost, counted for them too).
  const ms = (cpu: number | null) => (cpu === null ? 'n/a' : `${((cpu / (REQUESTS * ROUNDS)) * 1000).toFixed(3)} ms`);
  console.log('\nCPU per request (bench client / sync server / PocketBase = total):');
  const totals = new Map<Target, number | null>();
  for (const t of figures.keys()) {
    const c = cpuSpent.get(t)!;
    const total = c.server === null || c.pocketbase === null ? null : c.client + c.server + c.pocketbase;
    totals.set(t, total);
    console.log(`  ${t.name.padEnd(16)} ${ms(c.client)} / ${ms(c.server)} / ${ms(c.pocketbase)} = ${ms(total)}`);
  }
  const cpuRatio = (raw: Target) => {
    const a = totals.get(raw);
    const b = totals.get(me);
    return a == null || b == null ? 'n/a' : (a / b).toFixed(2);
  };
  console.log(`CPU ratio (raw read CPU / /me CPU per request): vs session read ${cpuRatio(session)}, vs users read ${cpuRatio(users)}`);
  console.log(`load average at end: ${load()}`);
} finally {
  await server.stop();
  await pb.dispose();
}
