import type { Logger } from 'pino';
import { restingCheckSpans, syncedExportSession } from '../../../core/upload/synced-session';
import { wellnessFor } from '../../../core/upload/wellness';
import { RESTING_CHECK_PLAN_ID } from '../../../core/workout/presets';
import { isLease, type LeaseStore } from '../grants/lease-store';
import type { RateGate } from '../uploads/rate-gate';
import { claimJob, type JobUpdate, type UploadJob, type UploadStore } from '../uploads/store';
import type { SyncedSessions } from '../uploads/synced-sessions';
import type { UploadGrants } from '../uploads/worker';
import type { IntervalsApi } from './api';
import { mayWriteWellness } from './grants';

/**
 * Wellness to intervals.icu (issue 16, opt-in): after a session has synced, what it measured goes
 * to the member's wellness record of that date (core/upload/wellness.ts): a resting check's
 * resting HR and RMSSD, a workout's RMSSD only. The queue is
 * the upload queue's store over its own collections (intervals_wellness_*): one job per member
 * and session (unique index), claimed and written only by compare-and-set, so each workout's
 * values are written once however many processes run; the PUT is an update of named fields, so
 * a write repeated after a crash changes nothing. Two workouts on one day: the later one's values
 * are the day's (each is written once).
 */
const SCAN_PAGE = 200;
const SCAN_LEASE_MS = 60_000;
const NOT_READY_RETRY_MS = 30_000;
const MAX_ATTEMPTS = 8;

export interface WellnessWorkerDeps {
  store: UploadStore;
  sessions: SyncedSessions;
  grants: UploadGrants;
  api: Pick<IntervalsApi, 'putWellness'>;
  rate: RateGate;
  leases: LeaseStore;
  holder: string;
  logger: Logger;
  now: () => number;
  random: () => number;
  leaseMs: number;
  batchSize?: number;
}

export type WellnessOutcome = 'done' | 'nothing' | 'retry' | 'failed' | 'cancelled' | 'lost' | 'skipped' | 'waiting';

export function createWellnessWorker(deps: WellnessWorkerDeps) {
  const { store, sessions, grants, api, rate, logger, now } = deps;
  const backoff = (attempts: number) => Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1)) * (0.75 + deps.random() * 0.5);

  async function discover(): Promise<number> {
    const lease = await deps.leases.tryAcquire('intervals-wellness-scan', SCAN_LEASE_MS, now());
    if (!isLease(lease)) return 0;
    let found = 0;
    try {
      for (const [memberId, since] of await store.autoMembers()) {
        try {
          let cursor = Math.max(await store.scanCursor(memberId), since);
          for (let page = 0; page < 10; page++) {
            const changed = await sessions.changedAfter(memberId, cursor, SCAN_PAGE);
            for (const sessionId of changed.finished) if ((await store.enqueue(memberId, sessionId, now())).created) found += 1;
            if (changed.maxSeq > cursor) await store.setScanCursor(memberId, changed.maxSeq);
            cursor = changed.maxSeq;
            if (!changed.more) break;
          }
        } catch (e) {
          logger.warn({ member: memberId, err: (e as Error).message }, 'intervals wellness: discovery failed for a member');
        }
      }
    } finally {
      await lease.release();
    }
    return found;
  }

  async function runOne(candidate: UploadJob): Promise<WellnessOutcome> {
    let job = await claimJob(store, candidate, deps.holder, now(), deps.leaseMs);
    if (!job) return 'skipped';
    const write = async (u: JobUpdate) => {
      const next = await store.cas(job!, u);
      if (next) job = next;
      return next !== null;
    };
    const later = async (at: number, reason: string, extra: JobUpdate = {}): Promise<WellnessOutcome> => ((await write({ nextRunAt: at, leaseUntil: 0, reason, ...extra })) ? 'retry' : 'lost');
    const fail = async (reason: string, error: string): Promise<WellnessOutcome> => ((await write({ state: 'failed', reason, error, leaseUntil: 0, finishedAt: now() })) ? 'failed' : 'lost');
    const transient = (what: string) =>
      job!.attempts >= MAX_ATTEMPTS ? fail('unavailable', `intervals.icu did not answer (${what}).`) : later(now() + backoff(job!.attempts), 'unavailable', { error: what });
    try {
      const loaded = await sessions.load(job.memberId, job.sessionId);
      if (loaded.kind === 'gone') return (await write({ state: 'cancelled', reason: 'deleted', leaseUntil: 0, finishedAt: now() })) ? 'cancelled' : 'lost';
      const session = loaded.kind === 'ready' ? syncedExportSession(loaded.record, loaded.readings) : null;
      if (!session || loaded.kind !== 'ready') return later(now() + NOT_READY_RETRY_MS, 'not_synced');
      const values = wellnessFor(session, loaded.record.plan?.planId === RESTING_CHECK_PLAN_ID ? { restingCheck: restingCheckSpans(loaded.record) } : 'workout');
      // Nothing to write (too few RR intervals, a resting check without a value): done, nothing sent.
      if (!values) return (await write({ state: 'done', reason: 'no_values', leaseUntil: 0, finishedAt: now() })) ? 'nothing' : 'lost';
      if (await rate.waitUntil()) return later((await rate.waitUntil())?.until ?? now() + 10_000, 'rate_limited');
      let failedVersion: number | null = null;
      for (let attempt = 0; attempt < 2; attempt++) {
        const t = await grants.accessToken(job.memberId, failedVersion);
        if (!t.ok) {
          if (t.problem === 'not_connected' || t.problem === 'needs_reconnect') return fail(t.problem, 'intervals.icu needs you to connect again.');
          return later(now() + Math.max(5_000, t.retryAfterMs ?? 60_000), t.problem);
        }
        // An OAuth grant without WELLNESS:WRITE: never attempted (intervals.icu would refuse it, and
        // a refusal would read as a revoked grant).
        if (!mayWriteWellness(t.grant)) return fail('scope', 'intervals.icu did not grant HRM permission to write wellness: connect again and leave WELLNESS:WRITE ticked.');
        if (!(await write({ sent: true, attempts: job.attempts + 1 }))) return 'lost';
        const a = await api.putWellness(t.token, values.date, values.body);
        await rate.record(a.rate, a.kind === 'rate_limited');
        if (a.kind === 'ok') {
          const ok = await write({ state: 'done', activityId: values.date, reason: '', error: '', leaseUntil: 0, finishedAt: now() });
          if (ok) logger.info({ job: job.id, member: job.memberId, date: values.date }, 'intervals wellness: written');
          return ok ? 'done' : 'lost';
        }
        if (a.kind === 'unauthorized') {
          failedVersion = t.version;
          continue;
        }
        if (a.kind === 'rate_limited') return later((await rate.waitUntil())?.until ?? now() + 10_000, 'rate_limited');
        if (a.kind === 'rejected') return fail('rejected', a.error);
        return transient(`wellness answered ${a.kind === 'transient' ? a.status : a.kind}`);
      }
      return fail('needs_reconnect', 'intervals.icu refused the API key: connect again.');
    } catch (e) {
      logger.warn({ job: job.id, err: (e as Error).message }, 'intervals wellness: run crashed');
      return transient((e as Error).message.slice(0, 100)).catch(() => 'retry' as const);
    }
  }

  return {
    discover,
    runOne,
    async runDue(): Promise<WellnessOutcome[]> {
      if (await rate.waitUntil()) return ['waiting'];
      const out: WellnessOutcome[] = [];
      for (const job of await store.due(now(), deps.batchSize ?? 10)) {
        out.push(await runOne(job));
        if (await rate.waitUntil()) break;
      }
      return out;
    },
  };
}

export type WellnessWorker = ReturnType<typeof createWellnessWorker>;
