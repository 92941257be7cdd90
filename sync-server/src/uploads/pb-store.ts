import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { ACTIVE_STATES, type JobUpdate, type UploadJob, type UploadMode, type UploadStore } from './store';

/**
 * The upload queue of one provider in PocketBase (Strava: pb_migrations/1763902500_strava_uploads.js;
 * intervals.icu: 1763902700_intervals.js, the same shape under its own names). A job is written
 * only by `cas`: one batch (one SQLite transaction) creates a row `(job, version+1)` in the
 * queue's versions collection (`strava_upload_versions`, `intervals_upload_versions`, …) — unique —
 * and updates the job to that version; a loser's batch rolls back whole.
 * `enqueue` is a create under the unique (member, session_id) index.
 */
export interface UploadCollections {
  jobs: string;
  versions: string;
  blocks: string;
  prefs: string;
  scans: string;
}

/** Each provider's queue has collections of its own (its key is their prefix): no provider's writer touches another's rows. */
export const STRAVA_UPLOAD_COLLECTIONS: UploadCollections = { jobs: 'strava_upload_jobs', versions: 'strava_upload_versions', blocks: 'strava_rate_blocks', prefs: 'strava_prefs', scans: 'strava_scans' };

type Row = {
  id: string;
  member: string;
  session_id: string;
  state: UploadJob['state'];
  version: number;
  attempts: number;
  next_run_at: number;
  lease_until: number;
  holder: string;
  upload_id: string;
  activity_id: string;
  reason: string;
  error: string;
  sent: boolean;
  created_at: number;
  finished_at: number;
};

const fromRow = (r: Row): UploadJob => ({
  id: r.id,
  memberId: r.member,
  sessionId: r.session_id,
  state: r.state,
  version: r.version,
  attempts: r.attempts,
  nextRunAt: r.next_run_at,
  leaseUntil: r.lease_until,
  holder: r.holder,
  uploadId: r.upload_id || null,
  activityId: r.activity_id || null,
  reason: r.reason,
  error: r.error,
  sent: r.sent,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

const int = (n: number) => Math.max(0, Math.floor(n));
const toRow = (u: JobUpdate): Record<string, unknown> => ({
  ...(u.state !== undefined ? { state: u.state } : {}),
  ...(u.attempts !== undefined ? { attempts: int(u.attempts) } : {}),
  ...(u.nextRunAt !== undefined ? { next_run_at: int(u.nextRunAt) } : {}),
  ...(u.leaseUntil !== undefined ? { lease_until: int(u.leaseUntil) } : {}),
  ...(u.holder !== undefined ? { holder: u.holder.slice(0, 100) } : {}),
  ...(u.uploadId !== undefined ? { upload_id: u.uploadId ?? '' } : {}),
  ...(u.activityId !== undefined ? { activity_id: u.activityId ?? '' } : {}),
  ...(u.reason !== undefined ? { reason: u.reason.slice(0, 40) } : {}),
  ...(u.error !== undefined ? { error: u.error.slice(0, 300) } : {}),
  ...(u.sent !== undefined ? { sent: u.sent } : {}),
  ...(u.finishedAt !== undefined ? { finished_at: int(u.finishedAt) } : {}),
});

const isClientError = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;
const isStatus = (e: unknown, s: number) => e instanceof ClientResponseError && e.status === s;

export function createPbUploadStore(pb: PocketBase, collections: UploadCollections = STRAVA_UPLOAD_COLLECTIONS): UploadStore {
  const { jobs: JOBS, versions: VERSIONS, blocks: BLOCKS, prefs: PREFS, scans: SCANS } = collections;
  const col = (n: string) => pb.collection(n);
  const ofSession = async (memberId: string, sessionId: string) => {
    const r = await col(JOBS).getList<Row>(1, 1, { filter: pb.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }), skipTotal: true });
    return r.items[0] ? fromRow(r.items[0]) : null;
  };
  /** Upsert of a record keyed by member id, for single-writer records (the member's choice, the scan cursor). */
  const put = async (collection: string, memberId: string, fields: Record<string, unknown>) => {
    try {
      await col(collection).update(memberId, fields);
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
      try {
        await col(collection).create({ id: memberId, member: memberId, ...fields });
      } catch (e2) {
        if (!isClientError(e2)) throw e2;
        await col(collection).update(memberId, fields);
      }
    }
  };

  return {
    async enqueue(memberId, sessionId, now) {
      try {
        const r = await col(JOBS).create<Row>({
          member: memberId,
          session_id: sessionId,
          state: 'queued',
          version: 0,
          attempts: 0,
          next_run_at: now,
          lease_until: 0,
          created_at: now,
        });
        return { job: fromRow(r), created: true };
      } catch (e) {
        if (!isClientError(e)) throw e;
        const existing = await ofSession(memberId, sessionId);
        if (!existing) throw e; // not a duplicate: a bad member or session id
        return { job: existing, created: false };
      }
    },

    async get(id) {
      try {
        return fromRow(await col(JOBS).getOne<Row>(id));
      } catch (e) {
        if (isStatus(e, 404)) return null;
        throw e;
      }
    },

    ofSession,

    async ofMember(memberId, opts = {}) {
      const ids = opts.sessionIds;
      if (ids && ids.length === 0) return [];
      const filter = ids
        ? pb.filter(`member = {:m} && (${ids.map((_, i) => `session_id = {:s${i}}`).join(' || ')})`, { m: memberId, ...Object.fromEntries(ids.map((s, i) => [`s${i}`, s])) })
        : pb.filter('member = {:m}', { m: memberId });
      const r = await col(JOBS).getList<Row>(1, Math.min(500, opts.limit ?? 200), { filter, sort: '-created_at', skipTotal: true });
      return r.items.map(fromRow);
    },

    async due(now, limit) {
      const states = ACTIVE_STATES.map((s) => `state = '${s}'`).join(' || ');
      const r = await col(JOBS).getList<Row>(1, limit, {
        filter: pb.filter(`(${states}) && next_run_at <= {:now} && lease_until <= {:now}`, { now }),
        sort: 'next_run_at',
        skipTotal: true,
      });
      return r.items.map(fromRow);
    },

    async cas(job, update) {
      const version = job.version + 1;
      const batch = pb.createBatch();
      batch.collection(VERSIONS).create({ job: job.id, version });
      batch.collection(JOBS).update(job.id, { ...toRow(update), version });
      try {
        await batch.send();
      } catch (e) {
        if (isClientError(e)) return null;
        throw e;
      }
      // The ledger only needs its newest rows; a read 50 versions old does not happen (a run writes a handful).
      if (version % 20 === 0) void trim(job.id, version - 50).catch(() => undefined);
      return { ...job, ...update, version };
    },

    async removeMember(memberId) {
      for (;;) {
        const r = await col(JOBS).getList<{ id: string }>(1, 200, { filter: pb.filter('member = {:m}', { m: memberId }), fields: 'id', skipTotal: true });
        if (r.items.length === 0) return;
        const batch = pb.createBatch();
        for (const j of r.items) batch.collection(JOBS).delete(j.id);
        await batch.send();
      }
    },

    async rateBlock(now) {
      const r = await col(BLOCKS).getList<{ at: number; until: number; reason: string; usage: string }>(1, 1, {
        filter: pb.filter('until > {:now}', { now }),
        sort: '-until',
        skipTotal: true,
      });
      const b = r.items[0];
      return b ? { at: b.at, until: b.until, reason: b.reason, usage: b.usage } : null;
    },

    async addRateBlock(b) {
      await col(BLOCKS).create({ at: int(b.at), until: int(b.until), reason: b.reason.slice(0, 40), usage: b.usage.slice(0, 60) });
    },

    async purgeRateBlocks(before) {
      const old = await col(BLOCKS).getList<{ id: string }>(1, 200, { filter: pb.filter('until < {:t}', { t: before }), fields: 'id', skipTotal: true });
      if (old.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of old.items) batch.collection(BLOCKS).delete(r.id);
      await batch.send();
    },

    async mode(memberId) {
      const r = await col(PREFS).getList<{ mode: UploadMode }>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), fields: 'mode', skipTotal: true });
      return r.items[0]?.mode ?? 'off';
    },

    setMode: (memberId, mode, sinceSeq = 0) => put(PREFS, memberId, { mode, since_seq: int(sinceSeq) }),

    async autoMembers() {
      const rows = await col(PREFS).getFullList<{ id: string; since_seq: number }>({ filter: "mode = 'auto'", fields: 'id,since_seq', batch: 500 });
      return new Map(rows.map((r) => [r.id, r.since_seq]));
    },

    async scanCursor(memberId) {
      const r = await col(SCANS).getList<{ seq: number }>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), fields: 'seq', skipTotal: true });
      return r.items[0]?.seq ?? 0;
    },

    // One writer: the discovery pass, under its lease.
    setScanCursor: (memberId, seq) => put(SCANS, memberId, { seq: int(seq) }),
  };

  async function trim(jobId: string, below: number) {
    const old = await col(VERSIONS).getList<{ id: string }>(1, 100, { filter: pb.filter('job = {:j} && version < {:v}', { j: jobId, v: below }), fields: 'id', skipTotal: true });
    if (old.items.length === 0) return;
    const batch = pb.createBatch();
    for (const r of old.items) batch.collection(VERSIONS).delete(r.id);
    await batch.send();
  }
}
