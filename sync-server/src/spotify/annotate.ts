import type { Logger } from 'pino';
import {
  absoluteReadings,
  heartRateBetween,
  MATCH_SLACK_MS,
  matchPlays,
  mayBeIncomplete,
  nextRunAt,
  parseRecentlyPlayed,
  RECHECK_OFFSETS_MS,
  retryDelayMs,
} from './annotate-match';
import type { AnnotateStore, TrackJob } from './annotate-store';
import { isLease, type LeaseStore as Leases } from './lease-store';
import type { SpotifyProblem } from './problems';
import type { WebApi } from './web-api';

/**
 * The tracks-of-a-workout job (spotify-emulator.md §2.7 scenario 11, §3 rule 5).
 *
 * Each background pass
 * 1. discovers: for every connected member, synced sessions changed since the member's scan
 *    cursor (the sync log's `seq`); a finished one gets a job (unique per member + session,
 *    so discovering twice is harmless), a deleted one loses its tracks;
 * 2. runs due jobs in a batch, each under a PocketBase lease (like the refresh lock) and
 *    re-read after the lease is taken, so two processes never run one job twice; one failing
 *    job never stops the others.
 * A run reads recently played after the session's start minus a slack, keeps the plays that
 * overlapped the session, stores each with the heart rate while it played, and is scheduled
 * again (late and backdated entries) until the schedule ends. Everything lives in PocketBase,
 * so a restarted server carries on where the last one stopped.
 */
export interface AnnotatorOptions {
  /** Offsets from a job's creation for its runs (default now, +5 min, +30 min, +3 h). */
  recheckOffsetsMs?: readonly number[];
  slackMs?: number;
  batchSize?: number;
}

export interface AnnotatorDeps {
  store: AnnotateStore;
  api: WebApi;
  leases: Leases;
  /** Members whose Spotify grant is usable. */
  connectedMembers(): Promise<string[]>;
  logger: Logger;
  now: () => number;
  random: () => number;
  options?: AnnotatorOptions;
}

export type RunOutcome = 'ran' | 'done' | 'skipped' | 'gone' | 'retry' | 'failed' | 'rate_limited';

const JOB_LEASE_MS = 60_000;
const SCAN_LEASE_MS = 60_000;
const MAX_ATTEMPTS = 8;
const SCAN_PAGE = 200;
/** Sessions that ended longer ago than this are not looked up (50 plays rarely last so long). */
const MAX_SESSION_AGE_MS = 7 * 24 * 3_600_000;
/** A member without usable Spotify is looked at again much later. */
const DISCONNECTED_RETRY_MS = 6 * 3_600_000;

export function createAnnotator(deps: AnnotatorDeps) {
  const { store, api, leases, logger, now, random } = deps;
  const offsets = deps.options?.recheckOffsetsMs ?? RECHECK_OFFSETS_MS;
  const slackMs = deps.options?.slackMs ?? MATCH_SLACK_MS;
  const batchSize = deps.options?.batchSize ?? 20;

  async function discoverMember(memberId: string): Promise<number> {
    let cursor = await store.scanCursor(memberId);
    let found = 0;
    for (let page = 0; page < 10; page++) {
      const changed = await store.sessionsChangedAfter(memberId, cursor, SCAN_PAGE);
      for (const s of changed.finished) {
        await store.ensureJob(memberId, s.sessionId, now(), { tooOld: s.endedAt < now() - MAX_SESSION_AGE_MS });
        found += 1;
      }
      for (const sessionId of changed.deleted) {
        await store.removeSessionTracks(memberId, sessionId);
        const job = await store.jobOf(memberId, sessionId);
        if (job && job.state !== 'gone') await store.updateJob(job.id, { state: 'gone' });
      }
      if (changed.maxSeq > cursor) await store.setScanCursor(memberId, changed.maxSeq);
      cursor = changed.maxSeq;
      if (!changed.more) break;
    }
    return found;
  }

  async function discover(): Promise<number> {
    const lease = await leases.tryAcquire('tracks-scan', SCAN_LEASE_MS, now());
    if (!isLease(lease)) return 0;
    let found = 0;
    try {
      for (const memberId of await deps.connectedMembers()) {
        found += await discoverMember(memberId).catch((e: Error) => {
          logger.warn({ member: memberId, err: e.message }, 'spotify tracks: discovery failed for a member');
          return 0;
        });
      }
    } finally {
      await lease.release();
    }
    return found;
  }

  async function failed(job: TrackJob, reason: string, delayMs?: number): Promise<RunOutcome> {
    const attempts = job.attempts + 1;
    const give = attempts >= MAX_ATTEMPTS;
    await store.updateJob(job.id, {
      attempts,
      state: give ? 'failed' : 'pending',
      next_run_at: now() + (delayMs ?? retryDelayMs(attempts, random)),
      last_error: reason.slice(0, 200),
    });
    logger.warn({ job: job.id, member: job.memberId, attempts, reason }, give ? 'spotify tracks: job gave up' : 'spotify tracks: run failed; will retry');
    return give ? 'failed' : 'retry';
  }

  const waitingProblems: SpotifyProblem[] = ['rate_limited', 'quota_exceeded'];
  const accountProblems: SpotifyProblem[] = ['not_connected', 'needs_reconnect', 'limited_beta', 'forbidden'];

  async function runLeased(job: TrackJob): Promise<RunOutcome> {
    const session = await store.finishedSession(job.memberId, job.sessionId);
    if (session === 'gone') {
      await store.removeSessionTracks(job.memberId, job.sessionId);
      await store.updateJob(job.id, { state: 'gone' });
      return 'gone';
    }
    if (session === 'unfinished') return failed(job, 'session is not finished');

    const after = Math.max(0, session.startedAt - slackMs);
    const r = await api.call(job.memberId, 'GET', `/v1/me/player/recently-played?limit=50&after=${after}`, { idempotent: true });
    if (!r.ok) {
      if (waitingProblems.includes(r.problem)) {
        // Not the job's fault: wait out the app-wide circuit without using up attempts.
        await store.updateJob(job.id, { next_run_at: now() + Math.max(1_000, r.retryAfterMs ?? 60_000) });
        return 'rate_limited';
      }
      return failed(job, r.problem, accountProblems.includes(r.problem) ? DISCONNECTED_RETRY_MS : undefined);
    }
    if (r.answer.status !== 200) return failed(job, `recently-played answered ${r.answer.status}`);
    const plays = parseRecentlyPlayed(r.answer.json);
    if (plays === null) return failed(job, 'recently-played sent an unexpected body');

    const matched = matchPlays(plays, session, slackMs);
    if (matched.length > 0) {
      const readings = absoluteReadings(await store.readings(job.memberId, job.sessionId), session.startedAt);
      await store.saveTracks(
        job.memberId,
        job.sessionId,
        matched.map((m) => ({ ...m, hr: heartRateBetween(readings, m.fromMs, m.toMs) })),
      );
    }
    // The first look decides: later looks see a window that has moved on since the workout.
    const incomplete = job.runs === 0 ? mayBeIncomplete(plays, session, slackMs) : job.incomplete;
    const runs = job.runs + 1;
    const next = nextRunAt(job.createdAt, runs, offsets);
    await store.updateJob(job.id, {
      runs,
      attempts: 0,
      state: next === null ? 'done' : 'pending',
      next_run_at: next ?? 0,
      last_run_at: now(),
      incomplete,
      last_error: '',
    });
    return next === null ? 'done' : 'ran';
  }

  async function runOne(candidate: TrackJob): Promise<RunOutcome> {
    const lease = await leases.tryAcquire(`tracks:${candidate.id}`, JOB_LEASE_MS, now());
    if (!isLease(lease)) return 'skipped';
    try {
      // Another process may have run it between our listing and our lease.
      const job = await store.job(candidate.id);
      if (!job || job.state !== 'pending' || job.nextRunAt > now()) return 'skipped';
      return await runLeased(job);
    } finally {
      await lease.release();
    }
  }

  /** Runs the jobs due now, up to the batch size; returns what happened to each. */
  async function runDue(): Promise<RunOutcome[]> {
      const due = await store.due(now(), batchSize);
      const outcomes: RunOutcome[] = [];
      for (const job of due) {
        const o = await runOne(job).catch(async (e: Error) => {
          logger.warn({ job: job.id, err: e.message }, 'spotify tracks: job crashed');
          return failed(job, e.message).catch(() => 'retry' as const);
        });
        outcomes.push(o);
        // An open circuit fails every call alike: the rest of the batch waits for the next pass.
        if (o === 'rate_limited') break;
      }
      return outcomes;
  }

  return {
    discover,
    runOne,
    runDue,

    /** One background pass: discover, then run what is due. */
    async pass(): Promise<{ discovered: number; outcomes: RunOutcome[] }> {
      const discovered = await discover().catch((e: Error) => {
        logger.warn({ err: e.message }, 'spotify tracks: discovery failed');
        return 0;
      });
      return { discovered, outcomes: await runDue() };
    },
  };
}

export type Annotator = ReturnType<typeof createAnnotator>;
