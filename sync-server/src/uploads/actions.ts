import type { RateBlock, UploadJob, UploadMode, UploadStore } from './store';
import type { SyncedSessions } from './synced-sessions';

/**
 * What a member does with one provider's upload queue (issue 16), the same for every provider:
 * upload a workout by hand, retry a failed upload, see the uploads for history, choose "every
 * workout". The provider gives its queue (store), the link to one of its activities and the
 * loop's `kick`; every answer is a state, never a credential.
 *
 * Jobs are written only by compare-and-set (store.ts): a retry that loses to a worker's write
 * answers the job as it now is.
 */
export type UploadJobView = {
  sessionId: string;
  state: UploadJob['state'];
  attempts: number;
  activityId: string | null;
  activityUrl: string | null;
  reason: string | null;
  error: string | null;
  /** Waiting for the provider's rate-limit window until then (ISO), while queued or uploading. */
  waitingUntil: string | null;
  updatedAt: string;
};

export interface UploadActionsDeps {
  store: UploadStore;
  sessions: Pick<SyncedSessions, 'load' | 'head'>;
  /** The provider's app-wide rate limit (rate-gate.ts). */
  rate: { waitUntil(): Promise<RateBlock | null> };
  now: () => number;
  /** The member's link to an activity at the provider. */
  activityUrl: (activityId: string) => string;
  /** Wakes the background loop (background-loop.ts) so a queued job goes now, not at the next tick. */
  kick: () => void;
}

/** Reasons of a job that failed for want of a connection: a (re)connect sends it again. */
const CONNECTION_REASONS = new Set(['needs_reconnect', 'not_connected']);
/** How many of a member's jobs the history and a reconnect look at. */
const MEMBER_JOBS = 200;

export const iso = (ms: number) => new Date(ms).toISOString();

/** Puts a failed or cancelled job back in the queue as new; null when another writer got there first. */
export function requeue(store: UploadStore, job: UploadJob, now: number): Promise<UploadJob | null> {
  return store.cas(job, { state: 'queued', attempts: 0, nextRunAt: now, reason: '', error: '', leaseUntil: 0, finishedAt: 0 });
}

/** After a (re)connect: the member's jobs that failed for want of a connection go again. */
export async function requeueDisconnected(store: UploadStore, memberId: string, now: () => number): Promise<void> {
  for (const j of await store.ofMember(memberId, { limit: MEMBER_JOBS })) {
    if (j.state === 'failed' && CONNECTION_REASONS.has(j.reason)) await requeue(store, j, now());
  }
}

/** Sets the member's choice. "Every workout" starts now: workouts already synced go up only by hand. */
export async function chooseMode(store: UploadStore, sessions: Pick<SyncedSessions, 'head'>, memberId: string, mode: UploadMode): Promise<void> {
  const since = mode === 'auto' ? await sessions.head(memberId) : 0;
  await store.setMode(memberId, mode, since);
}

export function createUploadActions(deps: UploadActionsDeps) {
  const { store, sessions, rate, now } = deps;
  const view = (j: UploadJob, waitingUntil: number | null): UploadJobView => ({
    sessionId: j.sessionId,
    state: j.state,
    attempts: j.attempts,
    activityId: j.activityId,
    activityUrl: j.activityId ? deps.activityUrl(j.activityId) : null,
    reason: j.reason || null,
    error: j.error || null,
    waitingUntil: waitingUntil !== null && (j.state === 'queued' || j.state === 'uploading') ? iso(waitingUntil) : null,
    updatedAt: iso(Math.max(j.finishedAt, j.createdAt)),
  });
  const waiting = async () => (await rate.waitUntil())?.until ?? null;
  const ended = (j: UploadJob) => j.state === 'failed' || j.state === 'cancelled';

  return {
    view,

    /** A member's "upload" click (any number of them): one job per workout. */
    async uploadByHand(memberId: string, sessionId: string): Promise<UploadJobView | 'not_found' | 'not_finished'> {
      const loaded = await sessions.load(memberId, sessionId);
      if (loaded.kind === 'gone') return 'not_found';
      if (loaded.kind === 'incomplete') return 'not_finished';
      let { job } = await store.enqueue(memberId, sessionId, now());
      if (ended(job)) job = (await requeue(store, job, now())) ?? job;
      deps.kick();
      return view(job, await waiting());
    },

    /** Sends a failed or cancelled upload again; any other job is answered as it is. Null: no upload of that workout. */
    async retry(memberId: string, sessionId: string): Promise<UploadJobView | null> {
      const job = await store.ofSession(memberId, sessionId);
      if (!job) return null;
      const next = ended(job) ? ((await requeue(store, job, now())) ?? (await store.get(job.id)) ?? job) : job;
      deps.kick();
      return view(next, await waiting());
    },

    /** The member's uploads for history (newest first; only these workouts when given). */
    async list(memberId: string, sessionIds?: readonly string[]) {
      const [jobs, w] = await Promise.all([store.ofMember(memberId, { sessionIds, limit: MEMBER_JOBS }), waiting()]);
      return { uploads: jobs.map((j) => view(j, w)), waitingUntil: w === null ? null : iso(w) };
    },

    /** After a (re)connect: failed-for-want-of-a-connection jobs of this queue and of `alsoStores` go again, then the loop runs. */
    async afterConnect(memberId: string, alsoStores: readonly UploadStore[] = []) {
      for (const s of [store, ...alsoStores]) await requeueDisconnected(s, memberId, now);
      deps.kick();
    },

    chooseMode: (memberId: string, mode: UploadMode) => chooseMode(store, sessions, memberId, mode),
  };
}

export type UploadActions = ReturnType<typeof createUploadActions>;
