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
import { stat } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import path from 'node:path';
import PocketBase from 'pocketbase';
import { PullResponseSchema, PushResponseSchema, type Mutation } from '../core/sync';
import { pushBody, recordedSession } from '../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { freePort } from '../tests/support/ports';
import { startSyncServer } from '../tests/support/sync-server';

const N = Number(process.env.SYNC_BENCH_SESSIONS ?? 100);
const NAIVE = Number(process.env.SYNC_BENCH_NAIVE_SESSIONS ?? 1);
const PER_CHUNK = 60; // the PWA seals a chunk every minute
const MAX_PUSH_BYTES = 900_000; // under the 1 MB body limit
const NAIVE_CONCURRENCY = 8;

interface Meter {
  url: string;
  sent: number;
  received: number;
  reset(): void;
  close(): Promise<void>;
}

/** A TCP proxy that counts the bytes each way. */
async function meter(targetPort: number): Promise<Meter> {
  const port = await freePort();
  const m = { sent: 0, received: 0 };
  const server: Server = createServer((down) => {
    const up = connect(targetPort, '127.0.0.1');
    down.on('data', (d: Buffer) => (m.sent += d.length));
    up.on('data', (d: Buffer) => (m.received += d.length));
    down.pipe(up).pipe(down);
    const end = () => (down.destroy(), up.destroy());
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return Object.assign(m, {
    url: `http://127.0.0.1:${port}`,
    reset: () => ((m.sent = 0), (m.received = 0)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as Meter;
}

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

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

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
    const admin = new PocketBase(pb.url);
    admin.autoCancellation(false);
    await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
    const rows = await admin.collection('sync_chunks').getFullList<{ bytes: number; payload: string }>({ fields: 'bytes,payload', batch: 1000 });
    const payloadBytes = rows.reduce((s, r) => s + r.bytes, 0);
    const storedChars = rows.reduce((s, r) => s + r.payload.length, 0);
    // The database file plus its write-ahead log (not yet checkpointed into it).
    const fileSize = (name: string) => stat(path.join(pb.dataDir, name)).then((x) => x.size, () => 0);
    const dbBytes = (await fileSize('data.db')) + (await fileSize('data.db-wal'));

    // Naive: one record per reading, one request each, straight to PocketBase's REST API.
    await admin.collections.create({
      name: 'naive_readings',
      type: 'base',
      fields: [
        { type: 'text', name: 'session', required: true },
        { type: 'number', name: 't' },
        { type: 'number', name: 'bpm' },
        { type: 'json', name: 'rr' },
        { type: 'text', name: 'contact' },
        { type: 'number', name: 'energy_kj' },
      ],
    });
    const naive = new PocketBase(pbWire.url);
    naive.autoCancellation(false);
    await naive.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
    let naiveReadings = 0;
    pbWire.reset();
    const naive0 = performance.now();
    for (let i = 0; i < NAIVE; i++) {
      const rec = await recordedSession(t0 + i * 3600_000, 'phone-bench', 1000 + i, PER_CHUNK);
      let next = 0;
      await Promise.all(
        Array.from({ length: NAIVE_CONCURRENCY }, async () => {
          while (next < rec.readings.length) {
            const r = rec.readings[next++]!;
            await naive.collection('naive_readings').create(
              { session: rec.session.id, t: r.t, bpm: r.bpm, rr: r.rr1024, contact: r.contact, energy_kj: r.energyKj },
              { fields: 'id' },
            );
          }
        }),
      );
      naiveReadings += rec.readings.length;
    }
    const naiveMs = performance.now() - naive0;
    const naiveBytes = pbWire.sent + pbWire.received;
    const scale = readings / naiveReadings;

    const syncBytes = pushBytes + pullBytes;
    console.log('');
    console.log(`push: ${pushes.length} requests, ${secs(pushMs)}, ${mb(pushBytes)} on the wire (${((pushBytes) / readings).toFixed(2)} B/reading)`);
    console.log(`pull: ${pages} pages, ${secs(pullMs)}, ${mb(pullBytes)} on the wire (${(pullBytes / readings).toFixed(2)} B/reading)`);
    console.log(`at rest: chunk payload ${(payloadBytes / readings).toFixed(2)} B/reading; stored as base64 ${(storedChars / readings).toFixed(2)} B/reading; data.db + WAL ${mb(dbBytes)} (${(dbBytes / readings).toFixed(2)} B/reading, all tables and indexes, auth included)`);
    console.log(
      `naive upload (one record per reading per request, concurrency ${NAIVE_CONCURRENCY}), measured on ${naiveReadings} readings: ` +
        `${secs(naiveMs)}, ${mb(naiveBytes)} (${(naiveBytes / naiveReadings).toFixed(0)} B/reading)`,
    );
    console.log(`naive extrapolated to ${readings} readings: ${secs(naiveMs * scale)}, ${mb(naiveBytes * scale)}`);
    console.log(`ratio naive upload / sync push: ${((naiveBytes * scale) / pushBytes).toFixed(1)}× bytes, ${((naiveMs * scale) / pushMs).toFixed(1)}× time`);
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
