/**
 * Builders for sync tests and the benchmark: sessions, mutations and encoded chunks made with
 * the real codec from realistic generated readings. No IO; used by both sides' tests.
 */
import { bytesToBase64 } from '../base64';
import { formatHlc } from '../hlc';
import { encodeChunk, hashChunk, type Reading } from '../sample-codec';
import type { LiveSession } from '../merge';
import { PROTOCOL_VERSION, type ChunkPut, type Mutation, type PushRequest } from '../wire';
import { realisticReadings, seededRandom } from './realistic-readings';

export const uuid = (): string => globalThis.crypto.randomUUID();

export const stamp = (ms: number, deviceId: string, counter = 0) => formatHlc({ ms, counter, deviceId });

export function liveSession(opts: { id?: string; startedAt: number; deviceId: string; title?: string; at?: number }): LiveSession {
  const h = stamp(opts.at ?? opts.startedAt, opts.deviceId);
  return {
    kind: 'live',
    id: opts.id ?? uuid(),
    startedAt: opts.startedAt,
    plan: null,
    summary: null,
    title: { value: opts.title ?? 'Morning ride', hlc: h },
    notes: { value: '', hlc: h },
    tags: { value: [], hlc: h },
  };
}

export function hourOfReadings(startT: number, seed: number, count = 3600): Reading[] {
  return realisticReadings({ count, startT, random: seededRandom(seed), jitterMs: 30 });
}

/** Sealed chunk.put mutations for the readings, `perChunk` readings each. */
export async function chunkPuts(sessionId: string, readings: readonly Reading[], perChunk = 300): Promise<ChunkPut[]> {
  const out: ChunkPut[] = [];
  for (let i = 0, index = 0; i < readings.length; i += perChunk, index++) {
    const part = readings.slice(i, i + perChunk);
    const bytes = encodeChunk(part);
    out.push({
      id: uuid(),
      type: 'chunk.put',
      sessionId,
      index,
      sealed: true,
      payload: bytesToBase64(bytes),
      sha256: await hashChunk(bytes),
      readingCount: part.length,
      firstT: part[0]!.t,
      lastT: part[part.length - 1]!.t,
    });
  }
  return out;
}

export const upsert = (session: LiveSession): Mutation => ({
  id: uuid(),
  type: 'session.upsert',
  session: { ...session, tags: { ...session.tags, value: [...session.tags.value] } },
});

export const pushBody = (deviceId: string, mutations: Mutation[]): PushRequest => ({ protocol: PROTOCOL_VERSION, deviceId, mutations });

/** A whole one-hour session: its upsert and its chunks. */
export async function recordedSession(startedAt: number, deviceId: string, seed: number, perChunk = 300) {
  const session = liveSession({ startedAt, deviceId });
  const readings = hourOfReadings(startedAt, seed);
  return { session, readings, mutations: [upsert(session), ...(await chunkPuts(session.id, readings, perChunk))] };
}
