/**
 * PocketBase-side figures shared by the sync benches: what the synced chunks cost at rest, and
 * the naive alternative the issue compares against (one record per reading, one request each).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import PocketBase from 'pocketbase';
import type { Reading } from '../../core/sync';
import type { TestPocketBase } from '../../tests/support/pocketbase';
import type { Meter } from './wire-meter';

/** A superuser client, through `url` (a meter) or straight to PocketBase. */
export async function superuser(pb: TestPocketBase, url = pb.url): Promise<PocketBase> {
  const client = new PocketBase(url);
  client.autoCancellation(false);
  await client.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  return client;
}

export interface ChunksAtRest {
  chunks: number;
  /** Sum of the chunks' reading_count. */
  readings: number;
  /** Decoded payload bytes (the codec's output). */
  payloadBytes: number;
  /** The payload as stored: base64 text. */
  storedChars: number;
  /** data.db plus its write-ahead log (not yet checkpointed into it): every table and index. */
  dbBytes: number;
}

export async function chunksAtRest(pb: TestPocketBase): Promise<ChunksAtRest> {
  const admin = await superuser(pb);
  const rows = await admin
    .collection('sync_chunks')
    .getFullList<{ bytes: number; payload: string; reading_count: number }>({ fields: 'bytes,payload,reading_count', batch: 1000 });
  const fileSize = (name: string) => stat(path.join(pb.dataDir, name)).then((x) => x.size, () => 0);
  return {
    chunks: rows.length,
    readings: rows.reduce((s, r) => s + r.reading_count, 0),
    payloadBytes: rows.reduce((s, r) => s + r.bytes, 0),
    storedChars: rows.reduce((s, r) => s + r.payload.length, 0),
    dbBytes: (await fileSize('data.db')) + (await fileSize('data.db-wal')),
  };
}

export const NAIVE_CONCURRENCY = 8;

/**
 * The naive upload: one PocketBase record per reading, one request each, straight to
 * PocketBase's REST API through `wire` (a meter in front of PocketBase), NAIVE_CONCURRENCY
 * requests in flight. Creates its own collection, so call it once per PocketBase.
 */
export async function naiveUpload(pb: TestPocketBase, wire: Meter, sessions: Array<{ id: string; readings: readonly Reading[] }>) {
  const admin = await superuser(pb);
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
  const naive = await superuser(pb, wire.url);
  let readings = 0;
  wire.reset();
  const start = performance.now();
  for (const session of sessions) {
    let next = 0;
    await Promise.all(
      Array.from({ length: NAIVE_CONCURRENCY }, async () => {
        while (next < session.readings.length) {
          const r = session.readings[next++]!;
          await naive.collection('naive_readings').create(
            { session: session.id, t: r.t, bpm: r.bpm, rr: r.rr1024, contact: r.contact, energy_kj: r.energyKj },
            { fields: 'id' },
          );
        }
      }),
    );
    readings += session.readings.length;
  }
  return { ms: performance.now() - start, bytes: wire.sent + wire.received, readings };
}
