/**
 * The readings of one pulled workout, on demand (docs/sync-protocol.md §3, "Two streams"): a
 * member who opens a workout on a new device before the background readings stream has reached
 * it should not wait for the whole backlog. The chunks come from GET /sync/sessions/:id/chunks
 * and are applied with the stream's own rules (sealed chunks never change, an open chunk only
 * grows), so this may run beside a sync run in any order; it needs no sync lock.
 */
import type { ApiError } from '$lib/api';
import type { ChunkRow, SessionRow } from '$lib/storage';
import { applyChanges, type PullDeps } from './pull';

export type ReadingsOutcome = { ok: true; fetched: number } | { ok: false; error: ApiError };

/** What a pull needs, less the stream's progress callback. */
export type SessionReadingsDeps = Omit<PullDeps, 'onMetadata'>;

/** True when a workout pulled from another device still lacks some of its readings. */
export function readingsMissing(row: Pick<SessionRow, 'origin' | 'readingCount'>, storedReadings: number): boolean {
  return row.origin === 'remote' && storedReadings < row.readingCount;
}

/** The first chunk index not held sealed here: everything below it never changes again. */
export function firstMissingIndex(chunks: readonly Pick<ChunkRow, 'seq' | 'sealed'>[]): number {
  const sealed = new Set(chunks.filter((c) => c.sealed === 1).map((c) => c.seq));
  let i = 0;
  while (sealed.has(i)) i++;
  return i;
}

/** Fetches what the local copy of `localId` lacks; `fetched: 0` when nothing was missing. */
export async function fetchSessionReadings(deps: SessionReadingsDeps, localId: string): Promise<ReadingsOutcome> {
  const { db: d } = deps;
  const state = await d.transaction('r', d.sessions, d.chunks, async () => {
    const row = await d.sessions.get(localId);
    if (!row?.syncId) return null;
    const chunks = await d.chunks.where('sessionId').equals(localId).toArray();
    const stored = chunks.reduce((n, c) => n + c.count, 0);
    return readingsMissing(row, stored) ? { wireId: row.syncId, from: firstMissingIndex(chunks) } : null;
  });
  if (!state) return { ok: true, fetched: 0 };

  let from = state.from;
  let fetched = 0;
  for (;;) {
    const result = await deps.api.sessionChunks({ deviceId: deps.deviceId, sessionId: state.wireId, from, limit: deps.limit }, deps.signal);
    if (!result.ok) return { ok: false, error: result.error };
    const page = result.value;
    fetched += page.changes.length;
    await d.transaction('rw', [d.sessions, d.chunks, d.tombstones, d.syncMeta], () => applyChanges(d, page.changes, deps));
    const last = page.changes.at(-1);
    if (!page.hasMore || !last) return { ok: true, fetched };
    from = last.index + 1;
  }
}
