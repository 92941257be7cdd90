/**
 * Pulls a member's changes in two streams (docs/sync-protocol.md §3, "Two streams"): first the
 * metadata stream (kinds=sessions) to its end, so a new device's history list is complete after
 * a few small pages, then the readings stream (kinds=chunks) in the background of the same run.
 * A workout opened before its readings arrive fetches them on its own (session-readings.ts).
 * Each stream keeps its own cursor. Each page is applied, and its cursor stored, in ONE Dexie
 * transaction after the response has arrived, so a crash re-pulls at most one page (merging is
 * idempotent). Remote session records are merged into local ones with core/sync mergeSession,
 * so local edits not pushed yet survive (their HLCs win or lose by the same rule as on the
 * server), and local tombstones absorb stale live copies.
 *
 * Resets concern the metadata stream only: `reset: true` (or a 409 stale_cursor, after which we
 * pull from null) starts a walk whose seen ids are persisted with each page; at its end every
 * local session that was synced but did not appear is dropped with its outbox rows. Unsynced
 * local sessions are kept. The readings stream is never reset (a purge removes tombstones,
 * whose chunks were deleted with the delete); a stale chunk cursor just starts from null.
 */
import { base64ToBytes, docStamps, mergeSession, type Change, type ChunkChange, type LiveSession, type PullKinds, type SessionRecord } from '$core/sync';
import { ProfileSchema, type Profile } from '$core/workout';
import type { ApiError, SyncApi } from '$lib/api';
import { applyRemoteDoc, chunkCursorKey, cursorKey, dropSessionLocally, getMeta, receiveHlcs, resetKey, setMeta, type HrmDatabase, type SessionRow } from '$lib/storage';
import { completeRemoteRow, executedFields, rowFromRemote } from './remote-session';

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
  /** Told when the metadata stream has reached its end (the history list is complete). */
  onMetadata?: () => void;
}

const pageTables = (d: HrmDatabase) => [d.sessions, d.chunks, d.outbox, d.tombstones, d.syncMeta, d.docs, d.settings, d.plans];

export async function pullChanges(deps: PullDeps): Promise<PullOutcome> {
  await startChunkCursor(deps.db, deps.owner);
  const meta = await pullStream(deps, 'sessions');
  if (!meta.ok) return meta;
  deps.onMetadata?.();
  // The metadata stream brought the member's profile (a new device had none): the readings'
  // numbers are worked out with it.
  const profile = ProfileSchema.safeParse((await deps.db.settings.get('profile'))?.value);
  const samples = await pullStream(profile.success ? { ...deps, profile: profile.data } : deps, 'chunks');
  if (!samples.ok) return samples;
  return { ok: true, pulled: meta.pulled + samples.pulled, pages: meta.pages + samples.pages, reset: meta.reset, clockDrift: meta.clockDrift };
}

/**
 * A device that pulled before there were two streams holds one cursor for both: everything up
 * to it, readings included, is here, so the readings stream starts from it too. A new device
 * stores null, so its readings stream starts at the beginning even if the metadata stream
 * has moved on by the time the readings are pulled.
 */
async function startChunkCursor(d: HrmDatabase, owner: string): Promise<void> {
  await d.transaction('rw', d.syncMeta, async () => {
    if ((await getMeta<string | null>(d, chunkCursorKey(owner))) !== undefined) return;
    await setMeta(d, chunkCursorKey(owner), (await getMeta<string>(d, cursorKey(owner))) ?? null);
  });
}

async function pullStream(deps: PullDeps, kinds: Exclude<PullKinds, 'all'>): Promise<PullOutcome> {
  const { db: d, owner } = deps;
  const key = kinds === 'sessions' ? cursorKey(owner) : chunkCursorKey(owner);
  let pulled = 0;
  let pages = 0;
  let sawReset = false;
  let clockDrift = false;
  let staleRetries = 0;
  for (;;) {
    const cursor = (await getMeta<string | null>(d, key)) ?? null;
    // This device has every chunk it pushed (it takes a new id when it drops a member's data,
    // member-data.ts), so the server need not send them back.
    const own = kinds === 'chunks' ? ('omit' as const) : undefined;
    const result = await deps.api.pull({ deviceId: deps.deviceId, cursor, limit: deps.limit ?? PULL_LIMIT, kinds, own }, deps.signal);
    if (!result.ok) {
      if (result.error.code === 'stale_cursor' && staleRetries++ < 2) {
        // §3: pull from null; the metadata stream handles the answer as a reset.
        await d.transaction('rw', d.syncMeta, async () => {
          await setMeta(d, key, null);
          if (kinds === 'sessions') await setMeta(d, resetKey(owner), []);
        });
        sawReset ||= kinds === 'sessions';
        continue;
      }
      return { ok: false, error: result.error };
    }
    const page = result.value;
    pages++;
    pulled += page.changes.length;
    const reset = kinds === 'sessions' && page.reset === true;
    sawReset ||= reset;
    const drift = await d.transaction('rw', pageTables(d), async () => {
      // A page that came back for a cursor we no longer hold (another tab moved it) is dropped.
      if (((await getMeta<string | null>(d, key)) ?? null) !== cursor) return false;
      const ok = await applyChanges(d, page.changes, deps);
      if (kinds === 'sessions') await advanceResetWalk(d, owner, page.changes, reset, page.hasMore);
      await setMeta(d, key, page.cursor);
      return !ok;
    });
    clockDrift ||= drift;
    if (!page.hasMore) return { ok: true, pulled, pages, reset: sawReset, clockDrift };
  }
}

/** §5: the ids seen since a reset began; at the walk's end, synced rows not seen are dropped. */
async function advanceResetWalk(d: HrmDatabase, owner: string, changes: readonly Change[], reset: boolean, hasMore: boolean): Promise<void> {
  let walk = await getMeta<string[]>(d, resetKey(owner));
  if (reset) walk = [];
  if (!walk) return;
  const seen = new Set(walk);
  for (const c of changes) if (c.kind === 'session') seen.add(c.record.id);
  if (hasMore) await setMeta(d, resetKey(owner), [...seen]);
  else {
    await finishReset(d, owner, seen);
    await d.syncMeta.delete(resetKey(owner));
  }
}

/** Applies one page's changes inside the caller's transaction; false if a stamp drifted. */
export async function applyChanges(d: HrmDatabase, changes: readonly Change[], deps: Pick<PullDeps, 'owner' | 'now' | 'profile'>): Promise<boolean> {
  const now = deps.now();
  const touched = new Set<string>();
  let ok = true;
  // Documents (profile, settings, plans: docs/sync-protocol.md §8) merge into the local ones.
  for (const c of changes) {
    if (c.kind !== 'doc') continue;
    ok = (await receiveHlcs(d, docStamps(c.record), now)) && ok;
    await applyRemoteDoc(d, c.record, deps.owner, now);
  }
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

const stampsOf = (r: SessionRecord) =>
  r.kind === 'tombstone' ? [r.deletedAt] : [r.title.hlc, r.notes.hlc, r.tags.hlc, ...(r.recomputed ? [r.recomputed.hlc] : [])];

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
  // A pulled workout whose execution record arrives later (this app was updated: §9) takes its
  // plan, phases, profile and summary from it, as if it had come with it.
  const executed = local.origin === 'remote' && !local.record?.execution && merged.execution ? executedFields(merged.execution) : {};
  await d.sessions.update(local.id, { ...executed, record: merged, title: merged.title.value, notes: merged.notes.value, synced: 1 });
  return local.id;
}

export async function applyChunk(d: HrmDatabase, c: ChunkChange): Promise<string | null> {
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
