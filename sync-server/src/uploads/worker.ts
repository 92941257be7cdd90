import type { Logger } from 'pino';
import type { ExportSession } from '../../../core/export/types';
import { toFit } from '../../../core/export/fit';
import { externalIdFor, syncedExportSession, uploadText } from '../../../core/upload/synced-session';
import type { AccessResult } from '../grants/engine';
import { isLease, type LeaseStore } from '../grants/lease-store';
import type { ApiAnswer, UploadProviderInfo, UploadsApi, UploadView } from './provider';
import type { RateGate } from './rate-gate';
import { claimJob, type JobUpdate, type UploadJob, type UploadStore } from './store';
import type { SyncedSessions } from './synced-sessions';

/**
 * The upload worker of one provider's queue (issue 16), run by every server process. Each pass
 * 1. discovers (one process at a time, under a lease): for members whose choice is "every
 *    workout", workouts synced since the member's cursor get a job (one per session: the store's
 *    unique index), and deleted ones lose a job not yet sent (never the activity at the provider);
 * 2. runs due jobs, each claimed with a compare-and-set that sets its lease in PocketBase, so a
 *    job runs in one process at a time; every later write of the run is a compare-and-set on the
 *    version the claim produced, so a worker whose lease ran out cannot undo its heir's work.
 *
 * Exactly one activity per workout at the provider, whatever happens:
 * - the job is marked `sent` before the upload request leaves: after a crash, a timeout or a 5xx
 *   the next attempt first looks for an activity with our `external_id` (derived from the
 *   session id) and records it instead of sending again;
 * - the file is the same bytes on every attempt (core/upload), so an upload that the provider is
 *   still processing makes the next one a duplicate (Strava says so), and a duplicate counts as
 *   done with the activity it names;
 * - a member's click enqueues the same job as the automatic path.
 * Polls of an upload (Strava's asynchronous uploads; intervals.icu answers at once) are at least
 * `pollMs` (≥ 1 s) apart. The app-wide rate limits of the provider live in its store
 * (rate-gate.ts): a full window or a 429 stops every process until it resets.
 */
export interface UploadGrants {
  accessToken(memberId: string, failedVersion?: number | null): Promise<AccessResult>;
}

export interface UploadWorkerOptions {
  /** How long a claim holds a job (a run must finish well within it). */
  leaseMs: number;
  /** Between two polls of one upload; never below 1 s (Strava's advice, kept for every provider). */
  pollMs: number;
  /** Polls within one run before the job is put back for a later pass. */
  pollsPerRun: number;
  batchSize: number;
  maxAttempts: number;
}

export const DEFAULT_WORKER_OPTIONS: UploadWorkerOptions = { leaseMs: 120_000, pollMs: 1_500, pollsPerRun: 8, batchSize: 10, maxAttempts: 8 };

export interface UploadWorkerDeps {
  store: UploadStore;
  sessions: SyncedSessions;
  grants: UploadGrants;
  api: UploadsApi;
  /** Who the queue uploads to: names in logs, messages and the scan lease. */
  provider: UploadProviderInfo;
  rate: RateGate;
  leases: LeaseStore;
  holder: string;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  options?: Partial<UploadWorkerOptions>;
  /** Power songs of a workout (Spotify), for the description; none by default (Strava has them); 'pending' while Spotify's job has not run. */
  powerSongs?: (memberId: string, sessionId: string, session: ExportSession) => Promise<string[] | 'pending'>;
}

export type RunOutcome = 'done' | 'duplicate' | 'processing' | 'retry' | 'failed' | 'cancelled' | 'waiting' | 'lost' | 'skipped';

const SCAN_PAGE = 200;
const SCAN_LEASE_MS = 60_000;
const INCOMPLETE_RETRY_MS = 30_000;
/** How long an upload waits for Spotify's job to record the workout's songs, looking every MUSIC_RETRY_MS. */
const MUSIC_WAIT_MS = 5 * 60_000;
const MUSIC_RETRY_MS = 10_000;
/** An activity is looked for in a window around the workout (providers filter on start time). */
const LOOKUP_SLACK_S = 12 * 3600;

export function createUploadWorker(deps: UploadWorkerDeps) {
  const { store, sessions, grants, api, rate, logger, now } = deps;
  const p = deps.provider;
  const label = p.label;
  const o = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  const pollMs = Math.max(1_000, o.pollMs);
  const backoff = (attempts: number) => Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1)) * (0.75 + deps.random() * 0.5);

  // ---- discovery -------------------------------------------------------------------------
  async function discoverMember(memberId: string, since: number): Promise<number> {
    let cursor = Math.max(await store.scanCursor(memberId), since);
    let found = 0;
    for (let page = 0; page < 10; page++) {
      const changed = await sessions.changedAfter(memberId, cursor, SCAN_PAGE);
      for (const sessionId of changed.finished) {
        const { created } = await store.enqueue(memberId, sessionId, now());
        if (created) found += 1;
      }
      for (const sessionId of changed.deleted) await cancelUnsent(memberId, sessionId);
      if (changed.maxSeq > cursor) await store.setScanCursor(memberId, changed.maxSeq);
      cursor = changed.maxSeq;
      if (!changed.more) break;
    }
    return found;
  }

  async function cancelUnsent(memberId: string, sessionId: string) {
    const job = await store.ofSession(memberId, sessionId);
    if (job && job.state === 'queued' && !job.sent && job.leaseUntil <= now()) await store.cas(job, { state: 'cancelled', reason: 'deleted', finishedAt: now() });
  }

  /** `autoMembers`: member → the sync-log seq from which their workouts go up automatically. */
  async function discover(autoMembers: () => Promise<Map<string, number>>): Promise<number> {
    const lease = await deps.leases.tryAcquire(`${p.name}-uploads-scan`, SCAN_LEASE_MS, now());
    if (!isLease(lease)) return 0;
    let found = 0;
    try {
      for (const [memberId, since] of await autoMembers()) {
        found += await discoverMember(memberId, since).catch((e: Error) => {
          logger.warn({ member: memberId, err: e.message }, `${p.name} uploads: discovery failed for a member`);
          return 0;
        });
      }
    } finally {
      await lease.release();
    }
    return found;
  }

  // ---- one job ---------------------------------------------------------------------------
  /** The job as this run holds it; every write is a compare-and-set on it. */
  class Run {
    constructor(public job: UploadJob) {}
    async write(update: JobUpdate): Promise<boolean> {
      const next = await store.cas(this.job, update);
      if (!next) {
        logger.warn({ job: this.job.id }, `${p.name} uploads: lost the job to another worker`);
        return false;
      }
      this.job = next;
      return true;
    }
    /** Puts the job back for a later pass. */
    async later(atMs: number, reason: string, extra: JobUpdate = {}): Promise<RunOutcome> {
      return (await this.write({ nextRunAt: atMs, leaseUntil: 0, reason, ...extra })) ? 'retry' : 'lost';
    }
    async fail(reason: string, error: string): Promise<RunOutcome> {
      logger.warn({ job: this.job.id, member: this.job.memberId, reason }, `${p.name} uploads: upload failed`);
      return (await this.write({ state: 'failed', reason, error, leaseUntil: 0, finishedAt: now() })) ? 'failed' : 'lost';
    }
    async finish(state: 'done' | 'duplicate', activityId: string | null, uploadId?: string): Promise<RunOutcome> {
      const ok = await this.write({ state, activityId, ...(uploadId ? { uploadId } : {}), reason: '', error: '', leaseUntil: 0, finishedAt: now() });
      if (ok) logger.info({ job: this.job.id, member: this.job.memberId, activity: activityId, state }, `${p.name} uploads: uploaded`);
      return ok ? state : 'lost';
    }
    /** A transient failure: back off, or give up after maxAttempts. */
    async transient(what: string): Promise<RunOutcome> {
      if (this.job.attempts >= o.maxAttempts) return this.fail('unavailable', `${label} did not answer (${what}) after ${this.job.attempts} attempts.`);
      return this.later(now() + backoff(this.job.attempts), 'unavailable', { error: what });
    }
  }

  type Token = { token: string; version: number };

  /** A token, or what the run should do instead. */
  async function token(run: Run, failedVersion: number | null = null): Promise<Token | RunOutcome> {
    const r = await grants.accessToken(run.job.memberId, failedVersion);
    if (r.ok) return { token: r.token, version: r.version };
    switch (r.problem) {
      case 'not_connected':
        return run.fail('not_connected', `Connect ${label} to upload this workout.`);
      case 'needs_reconnect':
        return run.fail('needs_reconnect', `${label} needs you to connect again.`);
      default:
        return run.later(now() + Math.max(5_000, r.retryAfterMs ?? 60_000), r.problem);
    }
  }

  /** Runs an API call with a token; one forced refresh on a 401; rate usage recorded. */
  async function call<T>(run: Run, t: Token, fn: (token: string) => Promise<ApiAnswer<T>>): Promise<{ answer: ApiAnswer<T>; t: Token } | RunOutcome> {
    let answer = await fn(t.token);
    await rate.record(answer.rate, answer.kind === 'rate_limited');
    if (answer.kind === 'unauthorized') {
      const fresh = await token(run, t.version);
      if (typeof fresh === 'string') return fresh;
      t = fresh;
      answer = await fn(t.token);
      await rate.record(answer.rate, answer.kind === 'rate_limited');
      if (answer.kind === 'unauthorized') return run.fail('needs_reconnect', `${label} refused our access: connect again.`);
    }
    return { answer, t };
  }

  async function waitForWindow(run: Run): Promise<RunOutcome> {
    const b = await rate.waitUntil();
    return run.later(b?.until ?? now() + 60_000, 'rate_limited');
  }

  async function settle(run: Run, v: UploadView): Promise<RunOutcome | null> {
    if (v.activityId) return run.finish('done', v.activityId, v.uploadId);
    if (v.duplicateOf) return run.finish('duplicate', v.duplicateOf, v.uploadId);
    if (v.error) return run.fail('rejected', v.error);
    return null;
  }

  async function poll(run: Run, t: Token): Promise<RunOutcome> {
    for (let i = 0; i < o.pollsPerRun; i++) {
      const wait = run.job.nextRunAt - now();
      if (wait > 0) await deps.sleep(wait);
      if (await rate.waitUntil()) return waitForWindow(run);
      const r = await call(run, t, (tok) => api.getUpload(tok, run.job.uploadId!));
      if (typeof r === 'string') return r;
      t = r.t;
      const a = r.answer;
      // The next poll never comes sooner than pollMs after this one, in this run or the next.
      const next = now() + pollMs;
      if (a.kind === 'ok') {
        const s = await settle(run, a.value);
        if (s) return s;
        run.job = { ...run.job, nextRunAt: next };
        continue;
      }
      if (a.kind === 'rate_limited') return waitForWindow(run);
      // The upload is unknown to the provider: send again (looking for the activity first).
      if (a.kind === 'not_found') return run.later(now(), 'upload_lost', { state: 'queued', uploadId: null });
      if (a.kind === 'rejected') return run.fail('rejected', a.error);
      return run.transient(`poll answered ${a.kind === 'transient' ? a.status : a.kind}`);
    }
    return (await run.write({ state: 'processing', nextRunAt: now() + pollMs, leaseUntil: 0 })) ? 'processing' : 'lost';
  }

  async function runClaimed(run: Run): Promise<RunOutcome> {
    const { memberId, sessionId } = run.job;
    if (await rate.waitUntil()) return waitForWindow(run);
    let t = await token(run);
    if (typeof t === 'string') return t;
    if (run.job.state === 'processing' && run.job.uploadId) return poll(run, t);

    const loaded = await sessions.load(memberId, sessionId);
    if (loaded.kind === 'gone') {
      // Deleted in HRM: an activity already at the provider stays there.
      return (await run.write({ state: 'cancelled', reason: 'deleted', leaseUntil: 0, finishedAt: now() })) ? 'cancelled' : 'lost';
    }
    if (loaded.kind === 'incomplete') return run.later(now() + INCOMPLETE_RETRY_MS, 'not_synced');
    const session = syncedExportSession(loaded.record, loaded.readings);
    if (!session) return run.later(now() + INCOMPLETE_RETRY_MS, 'not_synced');
    const externalId = externalIdFor(sessionId);

    // A previous attempt may have reached the provider (crash, timeout, 5xx): look before sending again.
    if (run.job.sent) {
      const r = await call(run, t, (tok) => api.activities(tok, session.startedAt / 1000 - LOOKUP_SLACK_S, session.endedAt / 1000 + LOOKUP_SLACK_S));
      if (typeof r === 'string') return r;
      t = r.t;
      if (r.answer.kind === 'rate_limited') return waitForWindow(run);
      if (r.answer.kind !== 'ok') return run.transient(`activity lookup answered ${r.answer.kind}`);
      const found = r.answer.value.find((a) => a.externalId === externalId);
      if (found) return run.finish('done', found.id);
    }

    const songs = (await deps.powerSongs?.(memberId, sessionId, session).catch(() => [])) ?? [];
    // The songs are worth a short wait (bounded: an upload never waits long for its music).
    if (songs === 'pending' && now() - run.job.createdAt < MUSIC_WAIT_MS) return run.later(now() + MUSIC_RETRY_MS, 'waiting_music');
    const text = uploadText(session, songs === 'pending' ? [] : songs);
    const file = toFit(session);
    // Marked before the request leaves: if we die now, the next attempt looks before it sends.
    const wasSent = run.job.sent;
    if (!(await run.write({ state: 'uploading', sent: true, attempts: run.job.attempts + 1, reason: '', error: '' }))) return 'lost';
    if (await rate.waitUntil()) return waitForWindow(run);
    // The provider takes the flag (provider.ts) and the workout is indoors (uploadText).
    const r = await call(run, t, (tok) => api.upload(tok, { file, fileName: externalId, externalId, name: text.name, description: text.description, trainer: p.trainer && text.trainer }));
    if (typeof r === 'string') return r;
    t = r.t;
    const a = r.answer;
    switch (a.kind) {
      case 'ok': {
        const s = await settle(run, a.value);
        if (s) return s;
        if (!(await run.write({ state: 'processing', uploadId: a.value.uploadId, nextRunAt: now() + pollMs }))) return 'lost';
        return poll(run, t);
      }
      case 'rate_limited':
        // Refused before anything was created: as sent as it was before this attempt.
        await run.write({ state: 'queued', sent: wasSent });
        return waitForWindow(run);
      case 'rejected':
        return run.fail('rejected', a.error);
      case 'not_found':
        return run.fail('rejected', `${label} has no upload endpoint at the configured API URL.`);
      default:
        return run.transient(`upload answered ${a.kind === 'transient' ? a.status || 'nothing' : a.kind}`);
    }
  }

  async function runOne(candidate: UploadJob): Promise<RunOutcome> {
    const claimed = await claimJob(store, candidate, deps.holder, now(), o.leaseMs);
    if (!claimed) return 'skipped';
    const run = new Run(claimed);
    try {
      return await runClaimed(run);
    } catch (e) {
      logger.warn({ job: claimed.id, err: (e as Error).message }, `${p.name} uploads: run crashed`);
      return run.transient((e as Error).message.slice(0, 100)).catch(() => 'retry' as const);
    }
  }

  return {
    discover,
    discoverMember,
    /** Runs the jobs due now (up to the batch size); stops early while the rate limit holds. */
    async runDue(): Promise<RunOutcome[]> {
      if (await rate.waitUntil()) return ['waiting'];
      const due = await store.due(now(), o.batchSize);
      const outcomes: RunOutcome[] = [];
      for (const job of due) {
        const r = await runOne(job);
        outcomes.push(r);
        if (await rate.waitUntil()) break;
      }
      return outcomes;
    },
    runOne,
  };
}

export type UploadWorker = ReturnType<typeof createUploadWorker>;
