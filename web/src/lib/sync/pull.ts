/**
 * Pulls a member's changes from the stored cursor until `hasMore` is false
 * (docs/sync-protocol.md §3, §5). Each page is applied, and the new cursor stored, in ONE Dexie
 * transaction after the response has arrived, so a crash re-pulls at most one page (merging is
 * idempotent). Remote session records are merged into local ones with core/sync mergeSession,
 * so local edits not pushed yet survive (their HLCs win or lose by the same rule as on the
 * server), and local tombstones absorb stale live copies.
 *
 * Resets: `reset: true` (or a 409 stale_cursor, after which we pull from null) starts a walk
 * whose seen ids are persisted with each page; at its end every local session that was synced
 * but did not appear is dropped with its outbox rows. Unsynced local sessions are kept.
 *
 * One change stream carries session rows and chunks in server order; session changes of a page
 * are applied first, so the history list fills in before the readings of a long backlog land.
 */
import { mergeSession, type Change, type ChunkChange, type LiveSession, type SessionRecord } from '$core/sync';
import type { Profile } from '$core/workout';
import type { ApiError, SyncApi } from '$lib/api';
import { cursorKey, dropSessionLocally, getMeta, receiveHlcs, resetKey, setMeta, type HrmDatabase, type SessionRow } from '$lib/storage';
import { base64ToBytes } from './base64';
import { completeRemoteRow, rowFromRemote } from './remote-session';

export const PULL_LIMIT = 200;

export type PullOutcome = { ok: true; pulled: number; pages: number; reset: boolean; clockDrift: boolean } | { ok: false; error: ApiError };

export interface PullDeps {
  db: HrmDatabase;
  api: SyncApi;
  owner: string;
  deviceId: string;
  now: () => number;
  profile: Profile;
  limit?: number;
  signal?: AbortSignal;
}

const pageTables = (d: HrmDatabase) => [d.sessions, d.chunks, d.outbox, d.tombstones, d.syncMeta];

export async function pullChanges(deps: PullDeps): Promise<PullOutcome> {
  const { db: d, owner } = deps;
  let pulled = 0;
  let pages = 0;
  let sawReset = false;
  let clockDrift = false;
  let staleRetries = 0;
  for (;;) {
    const cursor = (await getMeta<string>(d, cursorKey(owner))) ?? null;
    const result = await deps.api.pull({ deviceId: deps.deviceId, cursor, limit: deps.limit ?? PULL_LIMIT }, deps.signal);
    if (!result.ok) {
      if (result.error.code === 'stale_cursor' && staleRetries++ < 2) {
        // §3: pull from null and handle the answer as a reset.
        await d.transaction('rw', d.syncMeta, async () => {
          await d.syncMeta.delete(cursorKey(owner));
          await setMeta(d, resetKey(owner), []);
        });
        sawReset = true;
        continue;
      }
      return { ok: false, error: result.error };
    }
    const page = result.value;
    pages++;
    pulled += page.changes.length;
    sawReset ||= page.reset === true;
    const drift = await d.transaction('rw', pageTables(d), async () => {
      // A page that came back for a cursor we no longer hold (another tab moved it) is dropped.
      if (((await getMeta<string>(d, cursorKey(owner))) ?? null) !== cursor) return false;
      let walk = await getMeta<string[]>(d, resetKey(owner));
      if (page.reset) walk = [];
      const ok = await applyChanges(d, page.changes, deps);
      if (walk) {
        const seen = new Set(walk);
        for (const c of page.changes) if (c.kind === 'session') seen.add(c.record.id);
        if (page.hasMore) await setMeta(d, resetKey(owner), [...seen]);
        else {
          await finishReset(d, owner, seen);
          await d.syncMeta.delete(resetKey(owner));
        }
      }
      await setMeta(d, cursorKey(owner), page.cursor);
      return !ok;
    });
    clockDrift ||= drift;
    if (!page.hasMore) return { ok: true, pulled, pages, reset: sawReset, clockDrift };
  }
}

/** Applies one page's changes inside the caller's transaction; false if a stamp drifted. */
export async function applyChanges(d: HrmDatabase, changes: readonly Change[], deps: Pick<PullDeps, 'owner' | 'now' | 'profile'>): Promise<boolean> {
  const now = deps.now();
  const touched = new Set<string>();
  let ok = true;
  // Sessions first (the list), then chunks (the readings).
  for (const c of changes) {
    if (c.kind !== 'session') continue;
    ok = (await receiveHlcs(d, stampsOf(c.record), now)) && ok;
    const id = await applySession(d, c.record, deps.owner, now);
    if (id) touched.add(id);
  }
  for (const c of changes) {
    if (c.kind !== 'chunk') continue;
    const id = await applyChunk(d, c);
    if (id) touched.add(id);
  }
  for (const id of touched) {
    const row = await d.sessions.get(id);
    if (!row || row.origin !== 'remote') continue;
    const update = completeRemoteRow(row, await d.chunks.where('sessionId').equals(id).toArray(), deps.profile);
    if (update) await d.sessions.update(id, update);
  }
  return ok;
}

const stampsOf = (r: SessionRecord) => (r.kind === 'tombstone' ? [r.deletedAt] : [r.title.hlc, r.notes.hlc, r.tags.hlc]);

async function localRow(d: HrmDatabase, syncId: string): Promise<SessionRow | undefined> {
  return d.sessions.where('syncId').equals(syncId).first();
}

/** Returns the local id of a live session row it wrote, if any. */
async function applySession(d: HrmDatabase, remote: SessionRecord, owner: string, now: number): Promise<string | null> {
  const local = await localRow(d, remote.id);
  const tomb = await d.tombstones.get(remote.id);
  if (remote.kind === 'tombstone' || tomb) {
    const deletedAt =
      remote.kind === 'tombstone' && (!tomb || remote.deletedAt > tomb.deletedAt) ? remote.deletedAt : tomb!.deletedAt;
    await d.tombstones.put({ id: remote.id, owner, deletedAt });
    if (local) await dropSessionLocally(d, local.id, remote.id);
    else if (remote.kind === 'tombstone') await d.chunks.where('sessionId').equals(remote.id).delete();
    return null;
  }
  if (!local) {
    const row = rowFromRemote(remote, owner, now);
    await d.sessions.put(row);
    return row.id;
  }
  const merged = mergeSession(local.record ?? remote, remote) as LiveSession;
  await d.sessions.update(local.id, { record: merged, title: merged.title.value, notes: merged.notes.value, synced: 1 });
  return local.id;
}

async function applyChunk(d: HrmDatabase, c: ChunkChange): Promise<string | null> {
  if (await d.tombstones.get(c.sessionId)) return null;
  const local = await localRow(d, c.sessionId);
  // Chunks may arrive before their session row (a later edit moves the row past them): they
  // wait under the wire id, which is also the local id a pulled session gets.
  const localId = local?.id ?? c.sessionId;
  const existing = await d.chunks.get([localId, c.index]);
  if (existing?.sealed === 1) return null; // sealed bytes never change
  if (existing && !c.sealed && existing.count > c.readingCount) return null; // stale tail
  await d.chunks.put({
    sessionId: localId,
    seq: c.index,
    sealed: c.sealed ? 1 : 0,
    t0: Math.min(c.firstT, c.lastT),
    t1: Math.max(c.firstT, c.lastT),
    count: c.readingCount,
    data: base64ToBytes(c.payload),
  });
  return localId;
}

/** End of a reset walk: synced sessions the server no longer has were deleted there. */
async function finishReset(d: HrmDatabase, owner: string, seen: ReadonlySet<string>): Promise<void> {
  const rows = await d.sessions.where('owner').equals(owner).toArray();
  for (const row of rows) {
    if (row.synced === 1 && row.syncId && !seen.has(row.syncId)) await dropSessionLocally(d, row.id, row.syncId);
  }
}
