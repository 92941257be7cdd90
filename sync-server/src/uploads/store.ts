/**
 * The upload queue's storage (issue 16): jobs, the app-wide rate-limit back-offs, the member's
 * upload choice and the discovery cursor. PocketBase (pb-store.ts) and memory (memory-store.ts)
 * implementations pass one contract suite (store.contract.ts).
 *
 * Rules that make "exactly once" hold across processes:
 * - one job per member and session: `enqueue` is a create under a unique index, so any number
 *   of parallel enqueues (two processes, a member clicking twice) make one job;
 * - a job is written ONLY by `cas`: a write names the version it read and wins only if that is
 *   still current (PocketBase writes every column on update, so a plain update would undo
 *   another writer's). A worker claims a job with a `cas` that sets `leaseUntil`; while that is in
 *   the future no other worker takes it; a worker killed half-way loses it when it passes, and
 *   its late writes lose the compare-and-set;
 * - rate-limit back-offs are append-only rows: every process adds, none rewrites.
 */
export type UploadState = 'queued' | 'uploading' | 'processing' | 'done' | 'duplicate' | 'failed' | 'cancelled';
export type UploadMode = 'off' | 'auto' | 'manual';

export const ACTIVE_STATES: readonly UploadState[] = ['queued', 'uploading', 'processing'];

export interface UploadJob {
  id: string;
  memberId: string;
  sessionId: string;
  state: UploadState;
  version: number;
  attempts: number;
  /** Not before (ms): the next poll, a retry's back-off, the end of a rate-limit window. */
  nextRunAt: number;
  /** A worker holds the job until then (0: nobody). */
  leaseUntil: number;
  holder: string;
  uploadId: string | null;
  activityId: string | null;
  /** Stable code of the last problem ('' when none): needs_reconnect, rate_limited, rejected… */
  reason: string;
  /** The provider's words, for the member (never a token). */
  error: string;
  /** An upload request may have reached the provider: look for its activity before sending again. */
  sent: boolean;
  createdAt: number;
  finishedAt: number;
}

export type JobUpdate = Partial<Pick<UploadJob, 'state' | 'attempts' | 'nextRunAt' | 'leaseUntil' | 'holder' | 'uploadId' | 'activityId' | 'reason' | 'error' | 'sent' | 'finishedAt'>>;

export interface RateBlock {
  at: number;
  until: number;
  reason: string;
  usage: string;
}

export interface UploadStore {
  /** The member's job for the session, created queued if there is none (`created` says which). */
  enqueue(memberId: string, sessionId: string, now: number): Promise<{ job: UploadJob; created: boolean }>;
  get(jobId: string): Promise<UploadJob | null>;
  ofSession(memberId: string, sessionId: string): Promise<UploadJob | null>;
  /** The member's jobs, newest first (only these sessions when given). */
  ofMember(memberId: string, opts?: { sessionIds?: readonly string[]; limit?: number }): Promise<UploadJob[]>;
  /** Active jobs whose time has come and whose lease (if any) has run out, oldest first. */
  due(now: number, limit: number): Promise<UploadJob[]>;
  /** Writes `update` if the job is still at `job.version`; the new job, or null (someone else wrote). */
  cas(job: UploadJob, update: JobUpdate): Promise<UploadJob | null>;
  /** Deletes every job of the member (disconnect keeps them; account deletion cascades). */
  removeMember(memberId: string): Promise<void>;

  /** The latest back-off still running at `now`, if any. */
  rateBlock(now: number): Promise<RateBlock | null>;
  addRateBlock(b: RateBlock): Promise<void>;
  purgeRateBlocks(before: number): Promise<void>;

  /** The member's choice (default off); for auto, the sync-log seq it was turned on at. */
  mode(memberId: string): Promise<UploadMode>;
  setMode(memberId: string, mode: UploadMode, sinceSeq?: number): Promise<void>;
  autoMembers(): Promise<Map<string, number>>;
  scanCursor(memberId: string): Promise<number>;
  setScanCursor(memberId: string, seq: number): Promise<void>;
}

/** Claims a job for `holder` until `now + ttlMs`, if nobody holds it; null when another worker does or won. */
export async function claimJob(store: UploadStore, job: UploadJob, holder: string, now: number, ttlMs: number): Promise<UploadJob | null> {
  if (job.leaseUntil > now) return null;
  return store.cas(job, { leaseUntil: now + ttlMs, holder });
}
