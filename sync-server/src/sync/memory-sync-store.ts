/**
 * The SyncStore (store.ts) in memory, for unit tests of the sync service and the maintenance
 * pass, and for the PWA's engine tests against the real server logic (tests/unit). It keeps the
 * PocketBase store's rules (sync-store.contract.ts runs against both):
 * - commit is all or nothing: every precondition a PocketBase batch would check (the unique
 *   (member, base) commit row, creates of rows that must not exist, updates and deletes of rows
 *   that must) is checked before anything is written, so a batch that would fail half-way
 *   leaves nothing, like PocketBase's transaction;
 * - rows are found by member and natural key; sequence numbers come from the commit.
 * JavaScript runs one commit at a time to its end, so the check and the writes are atomic.
 */
import { chunkKey, type ChunkChange, type DocRecord, type SessionRecord, type StoredChunk, type StoredDoc, type StoredSession } from '../../../core/sync';
import type { CommitOutcome, MemberState, SyncStore } from './store';

export interface CommitRow {
  readonly id: string;
  readonly member: string;
  readonly base: number;
  readonly seq: number;
  /** Clock time the row was written (PocketBase's `created`). */
  readonly created: number;
}
interface SessionRow {
  readonly member: string;
  readonly record: SessionRecord;
  readonly deleted: boolean;
  readonly tombstonedAt: number;
  readonly seq: number;
  readonly bytes: number;
}
interface ChunkRow {
  readonly member: string;
  readonly change: ChunkChange;
  readonly bytes: number;
  readonly seq: number;
  readonly device: string;
}
interface DocRow {
  readonly member: string;
  readonly record: DocRecord;
  readonly seq: number;
  readonly bytes: number;
}
interface MutationRow {
  readonly id: string;
  readonly member: string;
  readonly seq: number;
  readonly at: number;
}

/** The tables, shared with the in-memory MaintenanceStore (memory-maintenance-store.ts). */
export interface MemorySyncTables {
  readonly members: Map<string, MemberState>;
  /** By commitId(member, base). */
  readonly commits: Map<string, CommitRow>;
  /** By key(member, sessionId). */
  readonly sessions: Map<string, SessionRow>;
  /** By key(member, chunkKey). */
  readonly chunks: Map<string, ChunkRow>;
  /** By key(member, mutationId); the key is also the row id a Purge names. */
  readonly mutations: Map<string, MutationRow>;
  /** By key(member, docKey). */
  readonly docs: Map<string, DocRow>;
}

/** The key of a member's row in a table (and the id a Purge names for a mutation row). */
export const rowKey = (member: string, natural: string) => `${member}\u0000${natural}`;
const key = rowKey;
export const commitId = (member: string, base: number) => key(member, `commit:${base}`);

export interface MemorySyncStoreOptions {
  /** Stamps commit rows (`created`, which the trim reads). */
  now?: () => number;
}

export function createMemorySyncStore(opts: MemorySyncStoreOptions = {}): SyncStore & { readonly tables: MemorySyncTables } {
  const now = opts.now ?? Date.now;
  const tables: MemorySyncTables = { members: new Map(), commits: new Map(), sessions: new Map(), chunks: new Map(), mutations: new Map(), docs: new Map() };
  let epochs = 0;
  const mine = <R extends { member: string }>(rows: Map<string, R>, member: string) => [...rows.values()].filter((r) => r.member === member);
  const page = <R extends { seq: number }>(rows: R[], after: number, upTo: number, limit: number) =>
    rows
      .filter((r) => r.seq > after && r.seq <= upTo)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);

  return {
    tables,

    async member(memberId) {
      let m = tables.members.get(memberId);
      if (!m) {
        epochs += 1;
        m = { epoch: `m${epochs.toString(36)}`, bytes: 0, purgedSeq: 0 };
        tables.members.set(memberId, m);
      }
      return m;
    },

    async head(memberId) {
      return Math.max(0, ...mine(tables.commits, memberId).map((c) => c.seq));
    },

    async appliedIds(memberId, mutationIds) {
      return new Set(mutationIds.filter((id) => tables.mutations.has(key(memberId, id))));
    },

    async sessions(memberId, sessionIds) {
      const out = new Map<string, StoredSession>();
      for (const id of sessionIds) {
        const r = tables.sessions.get(key(memberId, id));
        if (r) out.set(id, { record: r.record, seq: r.seq, bytes: r.bytes, tombstonedAt: r.tombstonedAt });
      }
      return out;
    },

    async chunksOf(memberId, sessionIds) {
      const wanted = new Set(sessionIds);
      const out = new Map<string, StoredChunk>();
      for (const r of mine(tables.chunks, memberId)) {
        const c = r.change;
        if (!wanted.has(c.sessionId)) continue;
        out.set(chunkKey(c.sessionId, c.index), { sessionId: c.sessionId, index: c.index, sealed: c.sealed, sha256: c.sha256, readingCount: c.readingCount, bytes: r.bytes });
      }
      return out;
    },

    async docs(memberId, keys) {
      const out = new Map<string, StoredDoc>();
      for (const k of keys) {
        const r = tables.docs.get(key(memberId, k));
        if (r) out.set(k, { record: r.record, seq: r.seq, bytes: r.bytes });
      }
      return out;
    },

    async expired(memberId, before, limit) {
      const tombstones = [...tables.sessions.values()]
        .filter((r) => r.member === memberId && r.deleted && r.tombstonedAt < before)
        .slice(0, limit)
        .map((r) => ({ sessionId: r.record.id, seq: r.seq, bytes: r.bytes }));
      const mutations = [...tables.mutations.values()]
        .filter((r) => r.member === memberId && r.at < before)
        .slice(0, limit)
        .map((r) => r.id);
      return { tombstones, mutations };
    },

    async commit({ memberId, base, member, writes, purge, now: at, deviceId }): Promise<CommitOutcome> {
      const conflict = (detail: string): CommitOutcome => ({ ok: false, reason: 'conflict', detail });
      // Every check a PocketBase batch makes, before any write (all or nothing).
      if (tables.commits.has(commitId(memberId, base))) return conflict(`base ${base} taken`);
      if (!tables.members.has(memberId)) return conflict('member row missing');
      for (const s of writes.sessions.values()) {
        if (tables.sessions.has(key(memberId, s.sessionId)) === s.isNew) return conflict(`session ${s.sessionId} ${s.isNew ? 'exists' : 'is gone'}`);
      }
      for (const c of writes.chunks.values()) {
        if (tables.chunks.has(key(memberId, chunkKey(c.put.sessionId, c.put.index))) === c.isNew) return conflict(`chunk ${c.put.sessionId}:${c.put.index}`);
      }
      for (const k of writes.deletedChunks) if (!tables.chunks.has(key(memberId, k))) return conflict(`chunk ${k} is gone`);
      for (const d of writes.docs?.values() ?? []) if (tables.docs.has(key(memberId, d.key)) === d.isNew) return conflict(`doc ${d.key} ${d.isNew ? 'exists' : 'is gone'}`);
      for (const id of writes.applied) if (tables.mutations.has(key(memberId, id))) return conflict(`mutation ${id} exists`);
      const purged = purge.tombstones.filter((t) => !writes.sessions.has(t.sessionId));
      for (const t of purged) if (!tables.sessions.has(key(memberId, t.sessionId))) return conflict(`tombstone ${t.sessionId} is gone`);
      for (const id of purge.mutations) if (!tables.mutations.has(id)) return conflict(`mutation row ${id} is gone`);

      const head = base + Math.max(1, writes.sessions.size + (writes.docs?.size ?? 0) + writes.chunks.size);
      tables.commits.set(commitId(memberId, base), { id: commitId(memberId, base), member: memberId, base, seq: head, created: now() });
      let seq = base;
      for (const s of writes.sessions.values()) {
        seq += 1;
        tables.sessions.set(key(memberId, s.sessionId), {
          member: memberId,
          record: s.record,
          deleted: s.record.kind === 'tombstone',
          tombstonedAt: s.tombstonedAt,
          seq,
          bytes: s.bytes,
        });
      }
      for (const d of writes.docs?.values() ?? []) {
        seq += 1;
        tables.docs.set(key(memberId, d.key), { member: memberId, record: d.record, seq, bytes: d.bytes });
      }
      for (const c of writes.chunks.values()) {
        seq += 1;
        const { id: _id, type: _type, ...put } = c.put;
        tables.chunks.set(key(memberId, chunkKey(put.sessionId, put.index)), { member: memberId, change: { kind: 'chunk', ...put }, bytes: c.bytes, seq, device: deviceId ?? '' });
      }
      for (const k of writes.deletedChunks) tables.chunks.delete(key(memberId, k));
      for (const id of writes.applied) tables.mutations.set(key(memberId, id), { id: key(memberId, id), member: memberId, seq: head, at });
      for (const t of purged) tables.sessions.delete(key(memberId, t.sessionId));
      for (const id of purge.mutations) tables.mutations.delete(id);
      const purgedSeq = Math.max(member.purgedSeq, ...purged.map((t) => t.seq));
      const purgedBytes = purged.reduce((sum, t) => sum + t.bytes, 0);
      tables.members.set(memberId, { epoch: member.epoch, bytes: Math.max(0, member.bytes + writes.bytesDelta - purgedBytes), purgedSeq });
      return { ok: true, head, purgedSeq };
    },

    async pullSessions(memberId, after, upTo, limit) {
      return page(mine(tables.sessions, memberId), after, upTo, limit).map((r) => ({ seq: r.seq, record: r.record }));
    },

    async pullDocs(memberId, after, upTo, limit) {
      return page(mine(tables.docs, memberId), after, upTo, limit).map((r) => ({ seq: r.seq, record: r.record }));
    },

    async pullChunks(memberId, after, upTo, limit, exceptDevice) {
      const rows = mine(tables.chunks, memberId).filter((r) => !exceptDevice || r.device !== exceptDevice);
      return page(rows, after, upTo, limit).map((r) => ({ seq: r.seq, change: r.change }));
    },

    async sessionChunks(memberId, sessionId, from, limit) {
      return mine(tables.chunks, memberId)
        .filter((r) => r.change.sessionId === sessionId && r.change.index >= from)
        .sort((a, b) => a.change.index - b.change.index)
        .slice(0, limit)
        .map((r) => r.change);
    },
  };
}
