/**
 * The SyncStore (store.ts) in PocketBase (collections in pb_migrations/1763900100_sync.js). Reads the state
 * a push is planned against, commits a plan as one batch (one SQLite transaction), and reads
 * pull pages. All rows are found by member; nothing here trusts a client-supplied record id.
 */
import { randomBytes } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { chunkKey, DocRecordSchema, SessionRecordSchema, type ChunkChange, type StoredChunk, type StoredDoc, type StoredSession } from '../../../core/sync';
import { recordId } from './record-ids';
import type { MemberState, SyncStore } from './store';

type MemberRow = { id: string; epoch: string; bytes: number; purged_seq: number };
type SessionRow = { session_id: string; record: unknown; seq: number; bytes: number; tombstoned_at: number };
type DocRow = { doc_key: string; record: unknown; seq: number; bytes: number };
type ChunkRow = {
  session_id: string;
  idx: number;
  sealed: boolean;
  sha256: string;
  reading_count: number;
  first_t: number;
  last_t: number;
  payload: string;
  bytes: number;
  seq: number;
};

/** Filters naming many keys are split so each request stays small. */
const GROUP = 50;
function groups<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += GROUP) out.push(items.slice(i, i + GROUP));
  return out;
}

const ids = {
  member: (memberId: string) => recordId('member', memberId),
  commit: (memberId: string, base: number) => recordId('commit', memberId, base),
  session: (memberId: string, sessionId: string) => recordId('session', memberId, sessionId),
  chunk: (memberId: string, sessionId: string, index: number) => recordId('chunk', memberId, sessionId, index),
  mutation: (memberId: string, mutationId: string) => recordId('mutation', memberId, mutationId),
  doc: (memberId: string, key: string) => recordId('doc', memberId, key),
};

const isStatus = (e: unknown, status: number) => e instanceof ClientResponseError && e.status === status;

/** PocketBase answers a create that violates a unique index or primary key with 400. */
const isConstraintFailure = (e: unknown) => isStatus(e, 400) || isStatus(e, 409);
/**
 * A batch fails as a whole with the first failing request's error: 400 for a unique index or
 * primary key (another process committed on the same head or created the same row first),
 * 404 for an update of a row another process deleted meanwhile. Both mean "plan again".
 */
const isLostRace = (e: unknown) => isConstraintFailure(e) || isStatus(e, 404);

const CHUNK_FIELDS = 'session_id,idx,sealed,sha256,reading_count,first_t,last_t,payload,seq';
const chunkChange = (r: ChunkRow): ChunkChange => ({
  kind: 'chunk',
  sessionId: r.session_id,
  index: r.idx,
  sealed: r.sealed,
  payload: r.payload,
  sha256: r.sha256,
  readingCount: r.reading_count,
  firstT: r.first_t,
  lastT: r.last_t,
});

const newEpoch = () => randomBytes(8).readBigUInt64BE().toString(36).slice(0, 8);

export function createPbSyncStore(pb: PocketBase): SyncStore {
  const col = (name: string) => pb.collection(name);
  const byMember = (memberId: string, extra: string, params: Record<string, unknown> = {}) =>
    pb.filter(`member = {:member}${extra ? ` && (${extra})` : ''}`, { member: memberId, ...params });
  const anyOf = (field: string, values: readonly string[]) => {
    const params: Record<string, string> = {};
    const expr = values.map((v, i) => ((params[`v${i}`] = v), `${field} = {:v${i}}`)).join(' || ');
    return { expr, params };
  };

  const toMember = (r: MemberRow): MemberState => ({ epoch: r.epoch, bytes: r.bytes, purgedSeq: r.purged_seq });

  return {
    async member(memberId) {
      const id = ids.member(memberId);
      try {
        return toMember(await col('sync_members').getOne<MemberRow>(id));
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
      }
      try {
        return toMember(await col('sync_members').create<MemberRow>({ id, member: memberId, epoch: newEpoch(), bytes: 0, purged_seq: 0 }));
      } catch (e) {
        // Another process created it first.
        if (!isConstraintFailure(e)) throw e;
        return toMember(await col('sync_members').getOne<MemberRow>(id));
      }
    },

    async head(memberId) {
      const rows = await col('sync_commits').getList<{ seq: number }>(1, 1, { filter: byMember(memberId, ''), sort: '-seq', fields: 'seq', skipTotal: true });
      return rows.items[0]?.seq ?? 0;
    },

    async appliedIds(memberId, mutationIds) {
      const found = new Set<string>();
      await Promise.all(
        groups(mutationIds).map(async (g) => {
          const { expr, params } = anyOf('mutation_id', g);
          const rows = await col('sync_mutations').getFullList<{ mutation_id: string }>({ filter: byMember(memberId, expr, params), fields: 'mutation_id' });
          for (const r of rows) found.add(r.mutation_id);
        }),
      );
      return found;
    },

    async sessions(memberId, sessionIds) {
      const out = new Map<string, StoredSession>();
      await Promise.all(
        groups(sessionIds).map(async (g) => {
          const { expr, params } = anyOf('session_id', g);
          const rows = await col('sync_sessions').getFullList<SessionRow>({
            filter: byMember(memberId, expr, params),
            fields: 'session_id,record,seq,bytes,tombstoned_at',
          });
          for (const r of rows) {
            out.set(r.session_id, { record: SessionRecordSchema.parse(r.record), seq: r.seq, bytes: r.bytes, tombstonedAt: r.tombstoned_at });
          }
        }),
      );
      return out;
    },

    async chunksOf(memberId, sessionIds) {
      const out = new Map<string, StoredChunk>();
      await Promise.all(
        groups(sessionIds).map(async (g) => {
          const { expr, params } = anyOf('session_id', g);
          const rows = await col('sync_chunks').getFullList<ChunkRow>({
            filter: byMember(memberId, expr, params),
            fields: 'session_id,idx,sealed,sha256,reading_count,bytes',
          });
          for (const r of rows) {
            out.set(chunkKey(r.session_id, r.idx), {
              sessionId: r.session_id,
              index: r.idx,
              sealed: r.sealed,
              sha256: r.sha256,
              readingCount: r.reading_count,
              bytes: r.bytes,
            });
          }
        }),
      );
      return out;
    },

    async docs(memberId, keys) {
      const out = new Map<string, StoredDoc>();
      await Promise.all(
        groups(keys).map(async (g) => {
          const { expr, params } = anyOf('doc_key', g);
          const rows = await col('sync_docs').getFullList<DocRow>({ filter: byMember(memberId, expr, params), fields: 'doc_key,record,seq,bytes' });
          for (const r of rows) out.set(r.doc_key, { record: DocRecordSchema.parse(r.record), seq: r.seq, bytes: r.bytes });
        }),
      );
      return out;
    },

    async expired(memberId, before, limit) {
      const [tombs, muts] = await Promise.all([
        col('sync_sessions').getList<SessionRow>(1, limit, {
          filter: byMember(memberId, 'deleted = true && tombstoned_at < {:before}', { before }),
          fields: 'session_id,seq,bytes',
          skipTotal: true,
        }),
        col('sync_mutations').getList<{ id: string }>(1, limit, {
          filter: byMember(memberId, 'at < {:before}', { before }),
          fields: 'id',
          skipTotal: true,
        }),
      ]);
      return {
        tombstones: tombs.items.map((r) => ({ sessionId: r.session_id, seq: r.seq, bytes: r.bytes })),
        mutations: muts.items.map((r) => r.id),
      };
    },

    async commit({ memberId, base, member, writes, purge, now, deviceId }) {
      const batch = pb.createBatch();
      const only = { fields: 'id' };
      const entityCount = writes.sessions.size + (writes.docs?.size ?? 0) + writes.chunks.size;
      const head = base + Math.max(1, entityCount);
      // The compare-and-set on the head: a unique (member, base) row. It goes first so a
      // conflicting batch fails before doing any other work.
      batch.collection('sync_commits').create({ id: ids.commit(memberId, base), member: memberId, base, seq: head, mutations: writes.applied.length }, only);
      // A tombstone this push rewrites (a later delete) is kept: it is no longer expired.
      const purged = purge.tombstones.filter((t) => !writes.sessions.has(t.sessionId));
      const purgedSeq = Math.max(member.purgedSeq, ...purged.map((t) => t.seq));
      const purgedBytes = purged.reduce((sum, t) => sum + t.bytes, 0);
      let seq = base;
      for (const s of writes.sessions.values()) {
        seq += 1;
        const row = {
          member: memberId,
          session_id: s.sessionId,
          record: s.record,
          deleted: s.record.kind === 'tombstone',
          tombstoned_at: s.tombstonedAt,
          seq,
          bytes: s.bytes,
        };
        const id = ids.session(memberId, s.sessionId);
        if (s.isNew) batch.collection('sync_sessions').create({ id, ...row }, only);
        else batch.collection('sync_sessions').update(id, row, only);
      }
      for (const d of writes.docs?.values() ?? []) {
        seq += 1;
        const row = { member: memberId, doc_key: d.key, doc_type: d.record.type, record: d.record, deleted: d.record.deletedAt !== undefined, seq, bytes: d.bytes };
        const id = ids.doc(memberId, d.key);
        // Only ever written inside the commit that won the head (the compare-and-set above), so
        // no second writer can interleave a read-modify-write of this row.
        if (d.isNew) batch.collection('sync_docs').create({ id, ...row }, only);
        else batch.collection('sync_docs').update(id, row, only);
      }
      for (const c of writes.chunks.values()) {
        seq += 1;
        const p = c.put;
        const row = {
          member: memberId,
          session_id: p.sessionId,
          idx: p.index,
          sealed: p.sealed,
          sha256: p.sha256,
          reading_count: p.readingCount,
          first_t: p.firstT,
          last_t: p.lastT,
          payload: p.payload,
          bytes: c.bytes,
          seq,
          device: deviceId ?? '',
        };
        const id = ids.chunk(memberId, p.sessionId, p.index);
        if (c.isNew) batch.collection('sync_chunks').create({ id, ...row }, only);
        else batch.collection('sync_chunks').update(id, row, only);
      }
      for (const key of writes.deletedChunks) {
        const sep = key.lastIndexOf(':');
        batch.collection('sync_chunks').delete(ids.chunk(memberId, key.slice(0, sep), Number(key.slice(sep + 1))));
      }
      for (const mutationId of writes.applied) {
        batch.collection('sync_mutations').create({ id: ids.mutation(memberId, mutationId), member: memberId, mutation_id: mutationId, seq: head, at: now }, only);
      }
      for (const t of purged) batch.collection('sync_sessions').delete(ids.session(memberId, t.sessionId));
      for (const id of purge.mutations) batch.collection('sync_mutations').delete(id);
      batch.collection('sync_members').update(
        ids.member(memberId),
        { bytes: Math.max(0, member.bytes + writes.bytesDelta - purgedBytes), purged_seq: purgedSeq },
        only,
      );
      try {
        await batch.send();
      } catch (e) {
        if (isLostRace(e)) return { ok: false, reason: 'conflict', detail: JSON.stringify((e as ClientResponseError).response).slice(0, 500) };
        throw e;
      }
      return { ok: true, head, purgedSeq };
    },

    async pullSessions(memberId, after, upTo, limit) {
      const rows = await col('sync_sessions').getList<SessionRow>(1, limit, {
        filter: byMember(memberId, 'seq > {:after} && seq <= {:upTo}', { after, upTo }),
        sort: 'seq',
        fields: 'session_id,record,seq',
        skipTotal: true,
      });
      return rows.items.map((r) => ({ seq: r.seq, record: SessionRecordSchema.parse(r.record) }));
    },

    async pullDocs(memberId, after, upTo, limit) {
      const rows = await col('sync_docs').getList<DocRow>(1, limit, {
        filter: byMember(memberId, 'seq > {:after} && seq <= {:upTo}', { after, upTo }),
        sort: 'seq',
        fields: 'doc_key,record,seq',
        skipTotal: true,
      });
      return rows.items.map((r) => ({ seq: r.seq, record: DocRecordSchema.parse(r.record) }));
    },

    async pullChunks(memberId, after, upTo, limit, exceptDevice) {
      const own = exceptDevice ? ' && device != {:device}' : '';
      const rows = await col('sync_chunks').getList<ChunkRow>(1, limit, {
        filter: byMember(memberId, `seq > {:after} && seq <= {:upTo}${own}`, { after, upTo, device: exceptDevice ?? '' }),
        sort: 'seq',
        fields: CHUNK_FIELDS,
        skipTotal: true,
      });
      return rows.items.map((r) => ({ seq: r.seq, change: chunkChange(r) }));
    },

    async sessionChunks(memberId, sessionId, from, limit) {
      const rows = await col('sync_chunks').getList<ChunkRow>(1, limit, {
        filter: byMember(memberId, 'session_id = {:session} && idx >= {:from}', { session: sessionId, from }),
        sort: 'idx',
        fields: CHUNK_FIELDS,
        skipTotal: true,
      });
      return rows.items.map(chunkChange);
    },
  };
}
