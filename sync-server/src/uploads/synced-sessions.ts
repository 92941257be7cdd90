import type PocketBase from 'pocketbase';
import { SessionRecordSchema, type LiveSession } from '../../../core/sync';
import { decodeChunk, type Reading } from '../../../core/sync/sample-codec';

/**
 * The member's synced workouts as the upload queue reads them: which changed after a point of
 * the sync log (`seq`), and one workout whole (its merged record and every reading of its
 * chunks). A workout is ready once it has a summary and its chunks hold every reading the
 * summary counts (the last chunks may still be on their way).
 */
export type LoadedSession = { kind: 'ready'; record: LiveSession; readings: Reading[] } | { kind: 'gone' } | { kind: 'incomplete' };

export interface SyncedSessions {
  changedAfter(memberId: string, afterSeq: number, limit: number): Promise<{ finished: string[]; deleted: string[]; maxSeq: number; more: boolean }>;
  head(memberId: string): Promise<number>;
  load(memberId: string, sessionId: string): Promise<LoadedSession>;
}

export function createPbSyncedSessions(pb: PocketBase): SyncedSessions {
  const col = (n: string) => pb.collection(n);
  return {
    async changedAfter(memberId, afterSeq, limit) {
      const rows = await col('sync_sessions').getList<{ session_id: string; record: unknown; seq: number }>(1, limit, {
        filter: pb.filter('member = {:m} && seq > {:s}', { m: memberId, s: afterSeq }),
        sort: 'seq',
        fields: 'session_id,record,seq',
        skipTotal: true,
      });
      const finished: string[] = [];
      const deleted: string[] = [];
      let maxSeq = afterSeq;
      for (const r of rows.items) {
        maxSeq = Math.max(maxSeq, r.seq);
        const rec = SessionRecordSchema.safeParse(r.record);
        if (!rec.success) continue;
        if (rec.data.kind === 'tombstone') deleted.push(r.session_id);
        else if (rec.data.summary) finished.push(r.session_id);
      }
      return { finished, deleted, maxSeq, more: rows.items.length === limit };
    },

    async head(memberId) {
      const r = await col('sync_sessions').getList<{ seq: number }>(1, 1, { filter: pb.filter('member = {:m}', { m: memberId }), sort: '-seq', fields: 'seq', skipTotal: true });
      return r.items[0]?.seq ?? 0;
    },

    async load(memberId, sessionId) {
      const rows = await col('sync_sessions').getList<{ record: unknown }>(1, 1, {
        filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }),
        fields: 'record',
        skipTotal: true,
      });
      const rec = rows.items[0] ? SessionRecordSchema.safeParse(rows.items[0].record) : null;
      if (!rec?.success || rec.data.kind === 'tombstone') return { kind: 'gone' };
      if (!rec.data.summary) return { kind: 'incomplete' };
      const chunks = await col('sync_chunks').getFullList<{ idx: number; payload: string }>({
        filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }),
        sort: 'idx',
        fields: 'idx,payload',
        batch: 50,
      });
      const readings: Reading[] = [];
      for (const c of chunks) {
        const d = decodeChunk(new Uint8Array(Buffer.from(c.payload, 'base64')));
        if (d.ok) readings.push(...d.readings);
      }
      if (readings.length < rec.data.summary.readingCount) return { kind: 'incomplete' };
      return { kind: 'ready', record: rec.data as LiveSession, readings };
    },
  };
}
