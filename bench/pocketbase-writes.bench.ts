/**
 * PocketBase's single SQLite writer on this machine: record creates per second through the
 * JS SDK as superuser, one at a time and with C concurrent writers, and through the batch
 * API (one transaction per 100 records). This is the ceiling the README's scaling section
 * quotes. Run: node --import tsx bench/pocketbase-writes.bench.ts
 */
import PocketBase from 'pocketbase';
import { startTestPocketBase } from '../tests/support/pocketbase';

const SECONDS = Number(process.env.SECONDS ?? 5);
const pb = await startTestPocketBase();
try {
  const admin = new PocketBase(pb.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  let i = 0;
  const create = () => admin.collection('auth_events').create({ key: `bench:${i++ % 1000}`, at: Date.now() });
  for (const concurrency of [1, 8, 32]) {
    let n = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          await create();
          n++;
        }
      }),
    );
    console.log(`single creates, ${String(concurrency).padStart(2)} concurrent: ${(n / SECONDS).toFixed(0)} records/s`);
  }
  let n = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const batch = admin.createBatch();
    for (let k = 0; k < 100; k++) batch.collection('auth_events').create({ key: `bench:${k}`, at: Date.now() });
    await batch.send();
    n += 100;
  }
  console.log(`batch API, 100 creates per transaction: ${(n / SECONDS).toFixed(0)} records/s`);
} finally {
  await pb.dispose();
}
