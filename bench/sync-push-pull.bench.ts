/**
 * Sync throughput and size: pushes N one-hour sessions (1 Hz, RR included, realistic generated
 * data) in batches through a real sync server and PocketBase, pulls them to a fresh device,
 * and compares with a naive upload of one PocketBase record per reading, one request each.
 *
 *   node --import tsx bench/sync-push-pull.bench.ts              # N = 100 (under a minute)
 *   SYNC_BENCH_SESSIONS=300 node --import tsx bench/sync-push-pull.bench.ts
 *
 * Bytes on the wire are counted by a TCP proxy in front of each server: request and response
 * bytes, HTTP headers included, TLS excluded (loopback). The naive path is measured on
 * SYNC_BENCH_NAIVE_SESSIONS sessions (default 1, 3600 requests) and extrapolated linearly to N.
 */
import { PullResponseSchema, PushResponseSchema, type Mutation } from '../core/sync';
import { hourOfReadings, pushBody, recordedSession, uuid } from '../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import { chunksAtRest, NAIVE_CONCURRENCY, naiveUpload } from './support/pocketbase-figures';
import { mb, meter, secs } from './support/wire-meter';

const N = Number(process.env.SYNC_BENCH_SESSIONS ?? 100);
const NAIVE = Number(process.env.SYNC_BENCH_NAIVE_SESSIONS ?? 1);
const PER_CHUNK = 60; // the PWA seals a chunk every minute
const MAX_PUSH_BYTES = 900_000; // under the 1 MB body limit

/** Groups mutations into pushes under the mutation and body limits. */
function batches(mutations: Mutation[]): Mutation[][] {
  const out: Mutation[][] = [];
  let cur: Mutation[] = [];
  let size = 0;
  for (const m of mutations) {
    const s = JSON.stringify(m).length + 1;
    if (cur.length && (cur.length >= 500 || size + s > MAX_PUSH_BYTES)) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(m);
    size += s;
  }
  if (cur.length) out.push(cur);
  return out;
}

async function main() {
  console.log(`sync bench: ${N} one-hour sessions at 1 Hz with RR, ${PER_CHUNK}-reading chunks`);
  const pb = await startTestPocketBase();
  const server = await startSyncServer({ pb, env: { LOG_LEVEL: 'warn' } });
  const wire = await meter(server.port);
  const pbWire = await meter(pb.port);
  try {
    const m = newMember('bench');
    const phone = client(wire.url);
    await phone.post('/api/v1/auth/register', m);
    if ((await phone.post('/api/v1/auth/login', { email: m.email, password: m.password })).status !== 200) throw new Error('login failed');

    const t0 = Date.now() - (N + 2) * 3600_000;
    let readings = 0;
    const all: Mutation[] = [];
    const gen0 = performance.now();
    for (let i = 0; i < N; i++) {
      const rec = await recordedSession(t0 + i * 3600_000, 'phone-bench', 1000 + i, PER_CHUNK);
      readings += rec.readings.length;
      all.push(...rec.mutations);
    }
    console.log(`generated and encoded ${readings} readings in ${secs(performance.now() - gen0)}`);

    // Push.
    wire.reset();
    const pushes = batches(all);
    const push0 = performance.now();
    for (const mutations of pushes) {
      const r = await phone.post('/api/v1/sync/push', pushBody('phone-bench', mutations));
      if (r.status !== 200) throw new Error(`push ${r.status}: ${r.text.slice(0, 300)}`);
      const res = PushResponseSchema.parse(r.body);
      if (!res.results.every((x) => x.status === 'applied')) throw new Error('not all applied');
    }
    const pushMs = performance.now() - push0;
    const pushBytes = wire.sent + wire.received;

    // Pull to a fresh device.
    const laptop = client(wire.url);
    await laptop.post('/api/v1/auth/login', { email: m.email, password: m.password });
    wire.reset();
    const pull0 = performance.now();
    let cursor = '';
    let changes = 0;
    let pages = 0;
    for (;;) {
      const r = await laptop.get(`/api/v1/sync/pull?protocol=1&deviceId=laptop-bench&limit=1000&cursor=${cursor}`);
      if (r.status !== 200) throw new Error(`pull ${r.status}: ${r.text.slice(0, 300)}`);
      const page = PullResponseSchema.parse(r.body);
      changes += page.changes.length;
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const pullMs = performance.now() - pull0;
    const pullBytes = wire.sent + wire.received;
    if (changes !== all.length) throw new Error(`pulled ${changes} changes, pushed ${all.length}`);

    // At rest.
    const rest = await chunksAtRest(pb);

    // Naive: one record per reading, one request each, straight to PocketBase's REST API.
    const naive = await naiveUpload(
      pb,
      pbWire,
      Array.from({ length: NAIVE }, (_, i) => ({ id: uuid(), readings: hourOfReadings(t0 + i * 3600_000, 1000 + i) })),
    );
    const scale = readings / naive.readings;

    const syncBytes = pushBytes + pullBytes;
    console.log('');
    console.log(`push: ${pushes.length} requests, ${secs(pushMs)}, ${mb(pushBytes)} on the wire (${((pushBytes) / readings).toFixed(2)} B/reading)`);
    console.log(`pull: ${pages} pages, ${secs(pullMs)}, ${mb(pullBytes)} on the wire (${(pullBytes / readings).toFixed(2)} B/reading)`);
    console.log(`at rest: chunk payload ${(rest.payloadBytes / readings).toFixed(2)} B/reading; stored as base64 ${(rest.storedChars / readings).toFixed(2)} B/reading; data.db + WAL ${mb(rest.dbBytes)} (${(rest.dbBytes / readings).toFixed(2)} B/reading, all tables and indexes, auth included)`);
    console.log(
      `naive upload (one record per reading per request, concurrency ${NAIVE_CONCURRENCY}), measured on ${naive.readings} readings: ` +
        `${secs(naive.ms)}, ${mb(naive.bytes)} (${(naive.bytes / naive.readings).toFixed(0)} B/reading)`,
    );
    console.log(`naive extrapolated to ${readings} readings: ${secs(naive.ms * scale)}, ${mb(naive.bytes * scale)}`);
    console.log(`ratio naive upload / sync push: ${((naive.bytes * scale) / pushBytes).toFixed(1)}× bytes, ${((naive.ms * scale) / pushMs).toFixed(1)}× time`);
    console.log(`(sync push + pull: ${mb(syncBytes)}, ${secs(pushMs + pullMs)})`);
  } finally {
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
