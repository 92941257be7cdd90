/**
 * Plans one push (the server runs it; it lives in core so the rules have one copy): the per-mutation outcomes and the writes that apply them, from the stored
 * state the push was read against. Pure (no IO, clock passed in), so the rules of
 * docs/sync-protocol.md §4–5 are decided in one place and the store only executes the plan.
 *
 * Invariants:
 * - Mutations apply in order against a working copy, so an upsert earlier in the batch is
 *   visible to the chunk.put that follows it.
 * - All or nothing: if any mutation is rejected there are no writes; the others that would have
 *   been applied report batch_aborted, duplicates still say duplicate.
 * - Only `applied` mutation ids are logged; a replay of them is a `duplicate` and writes nothing.
 * - Sealed chunks are never overwritten; a tombstone absorbs every later change to its session.
 */
import type { ChunkCheck } from './chunk-check';
import { deleteDoc, docKey, emptyDoc, patchDoc, type DocRecord } from './doc';
import { checkHlcDrift, parseHlc } from './hlc';
import { canonicalJson, deleteSession, immutableConflicts, mergeSession, patchSession, type SessionRecord } from './merge';
import { rejected, SYNC_ERROR_MESSAGES, type ChunkPut, type Mutation, type MutationResult, type SyncErrorCode } from './wire';

export interface StoredSession {
  readonly record: SessionRecord;
  readonly seq: number;
  readonly bytes: number;
  /** Server time the tombstone was written; 0 while live. */
  readonly tombstonedAt: number;
}

export interface StoredChunk {
  readonly sessionId: string;
  readonly index: number;
  readonly sealed: boolean;
  readonly sha256: string;
  readonly readingCount: number;
  readonly bytes: number;
}

/** A member's document (doc.ts) as stored, by docKey. */
export interface StoredDoc {
  readonly record: DocRecord;
  readonly seq: number;
  readonly bytes: number;
}

export interface DocWrite {
  readonly key: string;
  readonly record: DocRecord;
  readonly bytes: number;
  readonly isNew: boolean;
}

export interface PushState {
  /** Ids of this push's mutations that were applied before. */
  readonly applied: ReadonlySet<string>;
  /** The member's stored sessions among those the push names, by session id. */
  readonly sessions: ReadonlyMap<string, StoredSession>;
  /** Every stored chunk of those sessions, by chunkKey. */
  readonly chunks: ReadonlyMap<string, StoredChunk>;
  /** The member's stored documents among those the push names, by docKey (protocol 2). */
  readonly docs?: ReadonlyMap<string, StoredDoc>;
  readonly bytesUsed: number;
}

export interface PushContext {
  readonly deviceId: string;
  readonly now: number;
  readonly quotaBytes: number;
  /** checkChunk's verdict for every chunk.put, by mutation id. */
  readonly chunkChecks: ReadonlyMap<string, ChunkCheck>;
}

export interface SessionWrite {
  readonly sessionId: string;
  readonly record: SessionRecord;
  readonly bytes: number;
  readonly tombstonedAt: number;
  readonly isNew: boolean;
}

export interface ChunkWrite {
  readonly put: ChunkPut;
  readonly bytes: number;
  readonly isNew: boolean;
}

export interface PushWrites {
  readonly sessions: ReadonlyMap<string, SessionWrite>;
  readonly chunks: ReadonlyMap<string, ChunkWrite>;
  /** Keys of stored chunks to delete (their session became a tombstone). */
  readonly deletedChunks: readonly string[];
  /** Documents to create or rewrite, by docKey (absent: none). */
  readonly docs?: ReadonlyMap<string, DocWrite>;
  /** Mutation ids to log. */
  readonly applied: readonly string[];
  readonly bytesDelta: number;
}

export interface PushPlan {
  readonly results: MutationResult[];
  /** Null when there is nothing to write (all duplicates, or the batch was refused). */
  readonly writes: PushWrites | null;
}

export const chunkKey = (sessionId: string, index: number) => `${sessionId}:${index}`;

const utf8 = new TextEncoder();
/** The bytes a session record counts against the quota: its JSON in UTF-8. */
export const recordBytes = (record: SessionRecord | DocRecord) => utf8.encode(JSON.stringify(record)).length;

type Outcome = { status: 'applied'; code?: SyncErrorCode } | { status: 'duplicate' } | { status: 'rejected'; code: SyncErrorCode; message?: string };

const applied = (code?: SyncErrorCode): Outcome => (code ? { status: 'applied', code } : { status: 'applied' });
const duplicate: Outcome = { status: 'duplicate' };
const reject = (code: SyncErrorCode, message?: string): Outcome => ({ status: 'rejected', code, message });

/** The working copy a batch is applied to, mutation by mutation. */
class Working {
  readonly sessions: Map<string, StoredSession>;
  readonly chunks: Map<string, StoredChunk>;
  readonly sessionWrites = new Map<string, SessionWrite>();
  readonly chunkWrites = new Map<string, ChunkWrite>();
  readonly deletedChunks = new Set<string>();
  readonly docs: Map<string, StoredDoc>;
  readonly docWrites = new Map<string, DocWrite>();
  bytesDelta = 0;

  constructor(private readonly state: PushState) {
    this.sessions = new Map(state.sessions);
    this.chunks = new Map(state.chunks);
    this.docs = new Map(state.docs ?? []);
  }

  writeDoc(key: string, record: DocRecord): number {
    const before = this.docs.get(key);
    const bytes = recordBytes(record);
    this.docs.set(key, { record, seq: before?.seq ?? 0, bytes });
    this.docWrites.set(key, { key, record, bytes, isNew: !this.state.docs?.has(key) });
    const delta = bytes - (before?.bytes ?? 0);
    this.bytesDelta += delta;
    return delta;
  }

  writeSession(sessionId: string, record: SessionRecord, tombstonedAt: number): number {
    const before = this.sessions.get(sessionId);
    const bytes = recordBytes(record);
    this.sessions.set(sessionId, { record, seq: before?.seq ?? 0, bytes, tombstonedAt });
    this.sessionWrites.set(sessionId, { sessionId, record, bytes, tombstonedAt, isNew: !this.state.sessions.has(sessionId) });
    const delta = bytes - (before?.bytes ?? 0);
    this.bytesDelta += delta;
    return delta;
  }

  writeChunk(put: ChunkPut, bytes: number): number {
    const key = chunkKey(put.sessionId, put.index);
    const before = this.chunks.get(key);
    this.chunks.set(key, { sessionId: put.sessionId, index: put.index, sealed: put.sealed, sha256: put.sha256, readingCount: put.readingCount, bytes });
    // (A chunk dropped by a delete is never written again in the same batch: the tombstone
    // absorbs later puts, so creates and deletes of one key never meet in a batch.)
    this.chunkWrites.set(key, { put, bytes, isNew: !this.state.chunks.has(key) });
    const delta = bytes - (before?.bytes ?? 0);
    this.bytesDelta += delta;
    return delta;
  }

  dropChunksOf(sessionId: string): number {
    let delta = 0;
    for (const [key, chunk] of this.chunks) {
      if (chunk.sessionId !== sessionId) continue;
      this.chunks.delete(key);
      this.chunkWrites.delete(key);
      if (this.state.chunks.has(key)) this.deletedChunks.add(key);
      delta -= chunk.bytes;
    }
    this.bytesDelta += delta;
    return delta;
  }
}

/** Checks an HLC a device stamped itself: its own device id, and not ahead of server time. */
function ownStamp(hlc: string, ctx: PushContext): Outcome | null {
  const parsed = parseHlc(hlc);
  if (!parsed.ok) return reject('invalid_mutation', parsed.error.message);
  if (parsed.hlc.deviceId !== ctx.deviceId) return reject('invalid_mutation', `the HLC names device ${parsed.hlc.deviceId}, not the pushing ${ctx.deviceId}`);
  return drift(hlc, ctx);
}

function drift(hlc: string, ctx: PushContext): Outcome | null {
  const parsed = parseHlc(hlc);
  if (!parsed.ok) return reject('invalid_mutation', parsed.error.message);
  const d = checkHlcDrift(parsed.hlc, ctx.now);
  return d ? reject('clock_drift', `${SYNC_ERROR_MESSAGES.clock_drift} (${d.message})`) : null;
}

function applyOne(m: Mutation, w: Working, ctx: PushContext): { outcome: Outcome; bytes: number } {
  const none = (outcome: Outcome) => ({ outcome, bytes: 0 });
  switch (m.type) {
    case 'session.upsert': {
      const s = m.session;
      const bad = drift(s.title.hlc, ctx) ?? drift(s.notes.hlc, ctx) ?? drift(s.tags.hlc, ctx);
      if (bad) return none(bad);
      const cur = w.sessions.get(s.id);
      if (!cur) return { outcome: applied(), bytes: w.writeSession(s.id, s, 0) };
      if (cur.record.kind === 'tombstone') return none(applied('session_deleted'));
      const conflicts = immutableConflicts(cur.record, s);
      if (conflicts.length) return none(reject('immutable_conflict', `${SYNC_ERROR_MESSAGES.immutable_conflict} (${conflicts.join(', ')})`));
      const merged = mergeSession(cur.record, s);
      if (canonicalJson(merged) === canonicalJson(cur.record)) return none(applied());
      return { outcome: applied(), bytes: w.writeSession(s.id, merged, 0) };
    }
    case 'session.patch': {
      const bad = ownStamp(m.hlc, ctx);
      if (bad) return none(bad);
      const cur = w.sessions.get(m.sessionId);
      if (!cur) return none(reject('unknown_session'));
      if (cur.record.kind === 'tombstone') return none(applied('session_deleted'));
      const next = patchSession(cur.record, m.field, m.value, m.hlc);
      if (next === cur.record) return none(applied());
      return { outcome: applied(), bytes: w.writeSession(m.sessionId, next, 0) };
    }
    case 'session.delete': {
      const bad = ownStamp(m.hlc, ctx);
      if (bad) return none(bad);
      const cur = w.sessions.get(m.sessionId);
      // A delete of a session the server has not seen still leaves its tombstone, so an
      // upsert arriving later (from another device) is absorbed instead of resurrecting it.
      const base: SessionRecord = cur?.record ?? { kind: 'tombstone', id: m.sessionId, deletedAt: m.hlc };
      const next = deleteSession(base, m.hlc);
      if (cur && canonicalJson(next) === canonicalJson(cur.record)) return none(applied());
      const tombstonedAt = cur?.tombstonedAt || ctx.now;
      const bytes = w.writeSession(m.sessionId, next, tombstonedAt) + w.dropChunksOf(m.sessionId);
      return { outcome: applied(), bytes };
    }
    case 'chunk.put': {
      const check = ctx.chunkChecks.get(m.id);
      if (!check) throw new Error(`chunk.put ${m.id} was not checked`);
      if (!check.ok) return none(reject(check.code, check.message));
      const session = w.sessions.get(m.sessionId);
      if (!session) return none(reject('unknown_session'));
      if (session.record.kind === 'tombstone') return none(applied('session_deleted'));
      const cur = w.chunks.get(chunkKey(m.sessionId, m.index));
      if (cur?.sealed) {
        if (cur.sha256 === m.sha256 || !m.sealed) return none(duplicate);
        return none(reject('chunk_hash_mismatch'));
      }
      if (cur && (m.readingCount < cur.readingCount || (cur.sha256 === m.sha256 && cur.sealed === m.sealed))) return none(duplicate);
      return { outcome: applied(), bytes: w.writeChunk(m, check.bytes) };
    }
    case 'doc.patch':
    case 'doc.delete': {
      const bad = ownStamp(m.hlc, ctx);
      if (bad) return none(bad);
      const key = docKey(m.doc, m.docId);
      const cur = w.docs.get(key)?.record ?? emptyDoc(m.doc, m.docId);
      // A deleted plan absorbs later edits (§8): "a deleted plan stays deleted".
      if (m.type === 'doc.patch' && cur.deletedAt !== undefined) return none(applied('plan_deleted'));
      // A patch or delete of a document the server has not seen creates it (a delete leaves
      // its tombstone, so a patch arriving later from another device is absorbed).
      const next = m.type === 'doc.patch' ? patchDoc(cur, m.values, m.hlc) : deleteDoc(cur, m.hlc);
      if (w.docs.has(key) && canonicalJson(next) === canonicalJson(cur)) return none(applied());
      return { outcome: applied(), bytes: w.writeDoc(key, next) };
    }
  }
}

function toResult(id: string, o: Outcome): MutationResult {
  if (o.status === 'rejected') return rejected(id, o.code, o.message);
  if (o.status === 'applied' && o.code) return { mutationId: id, status: 'applied', code: o.code, message: SYNC_ERROR_MESSAGES[o.code] };
  return { mutationId: id, status: o.status };
}

export function planPush(mutations: readonly Mutation[], state: PushState, ctx: PushContext): PushPlan {
  const w = new Working(state);
  const outcomes = mutations.map((m) => {
    if (state.applied.has(m.id)) return { outcome: duplicate, bytes: 0 };
    return applyOne(m, w, ctx);
  });

  // Quota: refuse a batch that grows storage beyond the quota. The mutations that add bytes
  // are quota_exceeded; the rest of the batch is aborted (docs §4), so deletes that free space
  // go through once the client pushes them without the refused ones.
  const total = state.bytesUsed + w.bytesDelta;
  if (w.bytesDelta > 0 && total > ctx.quotaBytes) {
    outcomes.forEach((o) => {
      if (o.outcome.status === 'applied' && o.bytes > 0) o.outcome = reject('quota_exceeded', `${SYNC_ERROR_MESSAGES.quota_exceeded} (${total} of ${ctx.quotaBytes} bytes)`);
    });
  }

  if (outcomes.some((o) => o.outcome.status === 'rejected')) {
    const results = outcomes.map((o, i) => toResult(mutations[i]!.id, o.outcome.status === 'applied' ? reject('batch_aborted') : o.outcome));
    return { results, writes: null };
  }
  const results = outcomes.map((o, i) => toResult(mutations[i]!.id, o.outcome));
  const appliedIds = mutations.filter((_, i) => outcomes[i]!.outcome.status === 'applied').map((m) => m.id);
  if (appliedIds.length === 0) return { results, writes: null };
  return {
    results,
    writes: {
      sessions: w.sessionWrites,
      chunks: w.chunkWrites,
      deletedChunks: [...w.deletedChunks],
      ...(w.docWrites.size ? { docs: w.docWrites } : {}),
      applied: appliedIds,
      bytesDelta: w.bytesDelta,
    },
  };
}
