/**
 * Issue 5's benchmark, measured from IndexedDB through the PWA's own sync engine: N one-hour
 * sessions (1 Hz with RR, realistic generated readings with arrival jitter) are recorded on
 * device A through the PWA's recorder into a Dexie database (fake-indexeddb), pushed by the
 * sync engine through a real sync server into a real PocketBase, and pulled by the engine to a
 * fresh device B: metadata stream first (the history list), readings after. A third fresh
 * device B' whose readings stream is blocked opens one workout and fetches its readings on
 * demand. Compared with the naive upload (one PocketBase record per reading, one request each).
 *
 *   npx svelte-kit sync     # once: writes .svelte-kit/tsconfig.json, whose "paths" give tsx $lib and $core
 *   node --import tsx bench/sync-engine.bench.ts                              # N = 100
 *   SYNC_BENCH_SESSIONS=300 node --import tsx bench/sync-engine.bench.ts      # the figure
 *
 * Run from the repository root (tsx reads ./tsconfig.json, which extends the generated one).
 * Bytes on the wire are counted by a TCP proxy in front of the sync server (and one in front of
 * PocketBase for the naive path): both directions, HTTP headers included, TLS excluded
 * (loopback). Times include the client's own IndexedDB work, which here is fake-indexeddb in
 * Node, not a browser's; "awaiting the server" is the part spent inside SyncApi calls. The
 * naive path is measured on SYNC_BENCH_NAIVE_SESSIONS sessions (default 1, 3600 requests) and
 * extrapolated linearly to N. Exits non-zero if anything is lost, duplicated or different.
 */
import 'fake-indexeddb/auto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Reading } from '../core/sync';
import { createTimer, startTimer, stopwatchPlan } from '../core/workout';
import { hourOfReadings } from '../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import type { SyncApi } from '../web/src/lib/api';
import type { HrmDatabase, Storage } from '../web/src/lib/storage';
import type { SyncEngine } from '../web/src/lib/sync/engine';
import { chunksAtRest, NAIVE_CONCURRENCY, naiveUpload } from './support/pocketbase-figures';
import { mark, mb, meter, secs, span, type Mark, type Meter } from './support/wire-meter';

const N = Number(process.env.SYNC_BENCH_SESSIONS ?? 100);
const NAIVE = Number(process.env.SYNC_BENCH_NAIVE_SESSIONS ?? 1);
const READINGS_PER_SESSION = 3600;
/**
 * The app's recorder writes each reading as it arrives. The rows it leaves are the same at any cadence
 * (the open chunk is rewritten in place until full), so the bench flushes every 15 readings:
 * each chunk is still rewritten four times, with a fifteenth of the transactions.
 */
const FLUSH_EVERY = 15;

// The PWA's modules import each other as $lib/... and $core/...; tsx resolves those through
// tsconfig "paths", which SvelteKit generates. Without them the imports below fail with a
// puzzling "Cannot find package '$lib'", so say what to do instead. (Dynamic imports: static
// ones are resolved before any of this module runs.)
if (!existsSync(path.join(process.cwd(), '.svelte-kit', 'tsconfig.json'))) {
  console.error('sync-engine bench: run `npx svelte-kit sync` once, and run the bench from the repository root.');
  process.exit(1);
}
const { createHttpClient, createSyncApi } = await import('../web/src/lib/api');
const { NETWORK, fail } = await import('../web/src/lib/api/errors');
const { DEFAULT_PROFILE } = await import('../web/src/lib/profile');
const { startRecording } = await import('../web/src/lib/recording/recorder');
const { CHUNK_READINGS, createStorage, decodeReadings, deviceIdOf } = await import('../web/src/lib/storage');
const { createSyncEngine } = await import('../web/src/lib/sync/engine');
const { memoryLock } = await import('../web/src/lib/sync/lock');
const { setOwner } = await import('../web/src/lib/sync/member-data');
const { fetchSessionReadings } = await import('../web/src/lib/sync/session-readings');

// Session i starts at t0 + i hours and its readings come from seed 1000 + i, so the truth can be
// regenerated for each comparison instead of holding a million readings.
const startOf = (t0: number, i: number) => t0 + i * 3600_000;
const truthOf = (t0: number, startedAt: number): Reading[] => hourOfReadings(startedAt, 1000 + (startedAt - t0) / 3600_000, READINGS_PER_SESSION);

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(`INCONSISTENT: ${message}`);
}

// ---- Tracing the engine's calls -------------------------------------------------------------

type CallKind = 'push' | 'sessions' | 'chunks' | 'one-session';

interface Trace {
  /** When (and at how many wire bytes) the first call of each kind started. */
  first: Partial<Record<CallKind, Mark>>;
  requests: Record<CallKind, number>;
  /** Time spent inside SyncApi calls: the network, the server and PocketBase. */
  awaitingMs: Record<CallKind, number>;
  pushStatuses: Record<string, number>;
}

/**
 * The SyncApi with a record of its calls. The engine's phases run one after another (push,
 * metadata stream, readings stream), so the first call of a kind is where its phase begins.
 * `onFirst` runs at that moment (to look at the database); `refuse` makes one kind fail as if
 * the network were down.
 */
function traced(api: SyncApi, wire: Meter, opts: { onFirst?: (kind: CallKind) => Promise<void>; refuse?: CallKind } = {}) {
  const zero = () => ({ push: 0, sessions: 0, chunks: 0, 'one-session': 0 });
  const trace: Trace = { first: {}, requests: zero(), awaitingMs: zero(), pushStatuses: {} };
  async function call<T>(kind: CallKind, send: () => Promise<T>): Promise<T> {
    if (!trace.first[kind]) {
      trace.first[kind] = mark(wire);
      await opts.onFirst?.(kind);
    }
    trace.requests[kind]++;
    const start = performance.now();
    try {
      return await send();
    } finally {
      trace.awaitingMs[kind] += performance.now() - start;
    }
  }
  const wrapped: SyncApi = {
    push: (input, signal) =>
      call('push', async () => {
        const result = await api.push(input, signal);
        if (result.ok) for (const r of result.value.results) trace.pushStatuses[r.status] = (trace.pushStatuses[r.status] ?? 0) + 1;
        return result;
      }),
    pull: (input, signal) => {
      check(input.kinds === 'sessions' || input.kinds === 'chunks', `the engine pulled kinds=${input.kinds}, not one of the two streams`);
      const kind: CallKind = input.kinds;
      if (opts.refuse === kind) return Promise.resolve(fail({ status: 0, code: NETWORK, message: 'blocked by the bench', requestId: null }));
      return call(kind, () => api.pull(input, signal));
    },
    sessionChunks: (input, signal) => call('one-session', () => api.sessionChunks(input, signal)),
  };
  return { api: wrapped, trace };
}

// ---- Devices ------------------------------------------------------------------------------

interface Device {
  storage: Storage;
  db: HrmDatabase;
  api: SyncApi;
  trace: Trace;
  engine: SyncEngine;
}

/** A fresh device of the member: its own sign-in (cookie), its own database and device id. */
async function openDevice(
  name: string,
  ctx: { serverUrl: string; wire: Meter; member: { email: string; password: string }; userId: string },
  opts: Parameters<typeof traced>[2] = {},
): Promise<Device> {
  const c = client(ctx.serverUrl);
  const login = await c.post('/api/v1/auth/login', { email: ctx.member.email, password: ctx.member.password, deviceName: `bench-${name}` });
  check(login.status === 200, `sign-in of ${name}: ${login.status}`);
  const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  // The browser sends the cookie and its own origin; here the origin is the meter's address,
  // which is what the server sees as its host.
  const cookieFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', cookie);
    headers.set('origin', ctx.wire.url);
    return fetch(input, { ...init, headers });
  };
  const storage = createStorage({ name: `sync-bench-${name}-${Date.now()}` });
  const db = storage.db();
  await setOwner(db, ctx.userId);
  const http = createHttpClient({ fetch: cookieFetch, baseUrl: `${ctx.wire.url}/api/v1`, timeoutMs: 120_000 });
  const { api, trace } = traced(createSyncApi(http), ctx.wire, opts);
  // The PWA's defaults for batch and page sizes.
  const engine = createSyncEngine({ db: storage.db, api, lock: memoryLock() });
  return { storage, db, api, trace, engine };
}

/** One workout through the PWA's recorder, started at `startedAt` and fed as a strap would feed it. */
async function recordHour(storage: Storage, startedAt: number, readings: readonly Reading[]): Promise<void> {
  const errors: unknown[] = [];
  // No ticking clock: the bench flushes itself (FLUSH_EVERY).
  const clock = { now: Date.now, every: () => () => {} };
  const plan = stopwatchPlan();
  const timer = startTimer(createTimer(plan), startedAt).state;
  const rec = await startRecording({ db: storage.db, sessions: storage.sessions, clock, writeEachReading: false, onError: (e) => errors.push(e) }, { plan, timer, source: 'strap' });
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    rec.sink({ type: 'reading', reading: { ...r, rr1024: [...r.rr1024] } });
    if ((i + 1) % FLUSH_EVERY === 0) await rec.flush();
  }
  await rec.finish({ ...timer, stoppedAt: startedAt + readings.length * 1000 }, DEFAULT_PROFILE, true);
  check(errors.length === 0, `the recorder failed to write: ${String(errors[0])}`);
}

/** Chunk bytes and readings held in a device's IndexedDB. */
async function readingsAtRest(db: HrmDatabase) {
  let bytes = 0;
  let readings = 0;
  let chunks = 0;
  await db.chunks.each((c) => {
    bytes += c.data.byteLength;
    readings += c.count;
    chunks++;
  });
  return { bytes, readings, chunks };
}

/** Decoded readings of one local session, chunk by chunk in seq order. */
async function storedReadings(db: HrmDatabase, localId: string): Promise<{ readings: Reading[]; data: Uint8Array[] }> {
  const chunks = await db.chunks.where('[sessionId+seq]').between([localId, 0], [localId, Infinity]).toArray();
  const readings: Reading[] = [];
  for (const c of chunks) {
    const decoded = decodeReadings(c.data);
    check(decoded !== null, `chunk ${c.seq} of ${localId} does not decode`);
    readings.push(...decoded);
  }
  return { readings, data: chunks.map((c) => c.data) };
}

/**
 * Every session of A is on `other` exactly once, with the same record, the same chunk bytes
 * and the same readings, and A's readings are the ones the strap gave (regenerated per session,
 * so no session's readings are held longer than its comparison).
 */
async function verifySame(a: HrmDatabase, other: HrmDatabase, name: string, t0: number, only?: string): Promise<number> {
  const bySync = async (d: HrmDatabase) => {
    const rows = await d.sessions.toArray();
    const map = new Map(rows.map((r) => [r.syncId!, r]));
    check(rows.every((r) => r.syncId) && map.size === rows.length, `${name}: duplicate or missing sync ids`);
    return map;
  };
  const mine = await bySync(a);
  const theirs = await bySync(other);
  check(mine.size === N, `A holds ${mine.size} sessions, recorded ${N}`);
  check(theirs.size === N && [...mine.keys()].every((id) => theirs.has(id)), `${name} holds ${theirs.size} sessions, not A's ${N}`);
  let readings = 0;
  for (const [id, row] of mine) {
    if (only && id !== only) continue;
    const copy = theirs.get(id)!;
    check(isDeepStrictEqual(copy.record, row.record), `${name}: record of ${id} differs from A's`);
    const truth = truthOf(t0, row.startedAt);
    const here = await storedReadings(a, row.id);
    const there = await storedReadings(other, copy.id);
    check(isDeepStrictEqual(here.readings, truth), `A's stored readings of ${id} differ from what was recorded`);
    check(here.data.length === there.data.length && here.data.every((d, i) => Buffer.compare(d, there.data[i]!) === 0), `${name}: chunks of ${id} differ from A's`);
    check(isDeepStrictEqual(there.readings, truth), `${name}: readings of ${id} differ from A's`);
    readings += there.readings.length;
  }
  return readings;
}

// ---- The run ------------------------------------------------------------------------------

const perReading = (bytes: number, readings: number) => `${(bytes / readings).toFixed(2)} B/reading`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  console.log(`sync engine bench: ${N} one-hour sessions at 1 Hz with RR, recorded into IndexedDB (fake-indexeddb) by the PWA's recorder`);
  const pb = await startTestPocketBase();
  const server = await startSyncServer({ pb, env: { LOG_LEVEL: 'warn' } });
  const wire = await meter(server.port);
  const pbWire = await meter(pb.port);
  const devices: Device[] = [];
  try {
    const member = newMember('bench');
    const me = client(server.url);
    check((await me.post('/api/v1/auth/register', member)).status === 202, 'register');
    check((await me.post('/api/v1/auth/login', { email: member.email, password: member.password })).status === 200, 'login');
    const userId: string = (await me.get('/api/v1/me')).body.id;
    const ctx = { serverUrl: server.url, wire, member, userId };
    const total = N * READINGS_PER_SESSION;
    const t0 = Date.now() - (N + 2) * 3600_000;

    // Device A records.
    let outboxAtPull = -1;
    const a = await openDevice('a', ctx, {
      // The push phase ends where the engine starts pulling: the outbox must be empty by then.
      onFirst: async (kind) => {
        if (kind === 'sessions') outboxAtPull = await a.db.outbox.count();
      },
    });
    devices.push(a);
    const rec0 = performance.now();
    for (let i = 0; i < N; i++) await recordHour(a.storage, startOf(t0, i), truthOf(t0, startOf(t0, i)));
    const recordMs = performance.now() - rec0;
    const outboxRows = await a.db.outbox.count();
    const chunksPerSession = Math.ceil(READINGS_PER_SESSION / CHUNK_READINGS);
    check(outboxRows === N * (1 + chunksPerSession), `outbox holds ${outboxRows} rows, expected ${N * (1 + chunksPerSession)}`);
    console.log(`recorded ${N} sessions (${total} readings) through the recorder in ${secs(recordMs)}; outbox: ${outboxRows} mutations`);

    // Push: one engine run on A empties its outbox (in batches), then pulls.
    const push0 = mark(wire);
    const ra = await a.engine.run();
    const aEnd = mark(wire);
    check(ra.status === 'synced' && ra.rejected === 0 && ra.heldBack === 0, `A's sync run: ${JSON.stringify(ra)}`);
    check(outboxAtPull === 0 && (await a.db.outbox.count()) === 0, `A's outbox held ${outboxAtPull} mutations when its pull began`);
    check(ra.pushed === outboxRows && a.trace.pushStatuses.applied === outboxRows && Object.keys(a.trace.pushStatuses).length === 1, `push outcomes ${JSON.stringify(a.trace.pushStatuses)} for ${outboxRows} mutations`);
    // Its own session rows come back (the server's merged records); its own chunks do not (own=omit).
    check(ra.pulled === N, `A pulled ${ra.pulled} of its own changes back, expected its ${N} session rows only`);
    const push = span(push0, a.trace.first.sessions!);
    const echo = span(a.trace.first.sessions!, aEnd);

    // The server holds exactly what was pushed.
    const rest = await chunksAtRest(pb);
    check(rest.chunks === N * chunksPerSession && rest.readings === total, `PocketBase holds ${rest.chunks} chunks / ${rest.readings} readings`);

    // Device B: a fresh device of the member pulls everything.
    let sessionsAtMetadata = -1;
    let chunksAtMetadata = -1;
    const b = await openDevice('b', ctx, {
      onFirst: async (kind) => {
        if (kind !== 'chunks') return;
        sessionsAtMetadata = await b.db.sessions.count();
        chunksAtMetadata = await b.db.chunks.count();
      },
    });
    devices.push(b);
    const pull0 = mark(wire);
    const rb = await b.engine.run();
    const pullEnd = mark(wire);
    check(rb.status === 'synced', `B's sync run: ${JSON.stringify(rb)}`);
    check(rb.pulled === N * (1 + chunksPerSession), `B pulled ${rb.pulled} changes, A pushed ${outboxRows}`);
    check(sessionsAtMetadata === N && chunksAtMetadata === 0, `when the readings stream began B held ${sessionsAtMetadata} sessions and ${chunksAtMetadata} chunks`);
    check(b.trace.requests.push === 0, 'B pushed something');
    const metadata = span(pull0, b.trace.first.chunks!);
    const samples = span(b.trace.first.chunks!, pullEnd);
    const verified = await verifySame(a.db, b.db, 'B', t0);
    check(verified === total, `B holds ${verified} readings, A recorded ${total}`);

    // Device B': the readings stream is blocked; the member opens one workout (the newest).
    const b2 = await openDevice('b2', ctx, { refuse: 'chunks' });
    devices.push(b2);
    const rb2 = await b2.engine.run();
    check(rb2.status === 'failed' && rb2.error.message === 'blocked by the bench', `B' run: ${JSON.stringify(rb2)}`);
    check((await b2.db.sessions.count()) === N && (await b2.db.chunks.count()) === 0, "B' should hold every session and no readings");
    const newest = (await b2.storage.sessions.list({ limit: 1 })).sessions[0]!;
    const deviceId = await b2.db.transaction('rw', b2.db.syncMeta, () => deviceIdOf(b2.db));
    const open0 = mark(wire);
    const opened = await fetchSessionReadings({ db: b2.db, api: b2.api, owner: userId, deviceId, now: Date.now, profile: DEFAULT_PROFILE }, newest.id);
    const onDemand = span(open0, mark(wire));
    check(opened.ok && opened.fetched === chunksPerSession, `on-demand fetch: ${JSON.stringify(opened)}`);
    check((await verifySame(a.db, b2.db, "B'", t0, newest.syncId)) === READINGS_PER_SESSION, "B' lacks readings of the opened session");

    // At rest on the devices.
    const restA = await readingsAtRest(a.db);
    const restB = await readingsAtRest(b.db);
    check(restA.readings === total && restB.readings === total && restB.chunks === restA.chunks, `IndexedDB holds ${restA.readings} (A) / ${restB.readings} (B) readings`);

    // Naive upload of the same readings, straight to PocketBase.
    const aRows = await a.db.sessions.orderBy('startedAt').limit(NAIVE).toArray();
    const naive = await naiveUpload(pb, pbWire, aRows.map((r) => ({ id: r.syncId!, readings: truthOf(t0, r.startedAt) })));
    const scale = total / naive.readings;

    const awaiting = (d: Device, ...kinds: CallKind[]) => secs(kinds.reduce((s, k) => s + d.trace.awaitingMs[k], 0));
    console.log('');
    console.log(`push (A, engine.run until the outbox is empty): ${a.trace.requests.push} requests, ${secs(push.ms)} (${awaiting(a, 'push')} awaiting the server), ${mb(push.bytes)} on the wire (${perReading(push.bytes, total)})`);
    console.log(`  then A's run pulls: ${a.trace.requests.sessions + a.trace.requests.chunks} pages (${ra.pulled} changes: its session rows; its own chunks are left out), ${secs(echo.ms)}, ${mb(echo.bytes)}`);
    console.log(`pull (fresh B) metadata stream: history list complete (${sessionsAtMetadata} sessions) after ${b.trace.requests.sessions} pages, ${secs(metadata.ms)} (${awaiting(b, 'sessions')} awaiting the server), ${mb(metadata.bytes)} (${(metadata.bytes / N).toFixed(0)} B/session)`);
    console.log(`pull (fresh B) readings stream: all readings present after ${b.trace.requests.chunks} more pages, ${secs(samples.ms)} more (${secs(metadata.ms + samples.ms)} in all; ${awaiting(b, 'chunks')} awaiting the server), ${mb(samples.bytes)} (${perReading(samples.bytes, total)}; ${perReading(metadata.bytes + samples.bytes, total)} with the metadata)`);
    console.log(`on demand (fresh B', readings stream blocked): one session's ${READINGS_PER_SESSION} readings in ${b2.trace.requests['one-session']} request(s), ${ms(onDemand.ms)}, ${(onDemand.bytes / 1e3).toFixed(1)} kB (${perReading(onDemand.bytes, READINGS_PER_SESSION)})`);
    console.log(`verified: B holds all ${N} sessions and ${total} readings, equal to A's and to what was recorded; B' holds the opened session's`);
    console.log(`at rest, IndexedDB: A ${perReading(restA.bytes, restA.readings)}, B ${perReading(restB.bytes, restB.readings)} (chunk data bytes / readings, ${restA.chunks} chunks)`);
    console.log(`at rest, PocketBase: chunk payload ${perReading(rest.payloadBytes, total)}; stored as base64 ${(rest.storedChars / total).toFixed(2)} chars/reading; data.db + WAL ${mb(rest.dbBytes)} (${perReading(rest.dbBytes, total)}, all tables and indexes, auth included)`);
    console.log(
      `naive upload (one record per reading per request, concurrency ${NAIVE_CONCURRENCY}), measured on ${naive.readings} readings: ` +
        `${secs(naive.ms)}, ${mb(naive.bytes)} (${(naive.bytes / naive.readings).toFixed(0)} B/reading); extrapolated to ${total}: ${secs(naive.ms * scale)}, ${mb(naive.bytes * scale)}`,
    );
    console.log(`ratio naive upload / engine push: ${((naive.bytes * scale) / push.bytes).toFixed(1)}× bytes, ${((naive.ms * scale) / push.ms).toFixed(1)}× time`);
    console.log(`peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    for (const d of devices) d.db.close();
    await wire.close();
    await pbWire.close();
    await server.stop();
    await pb.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
