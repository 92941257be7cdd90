import type { Logger } from 'pino';
import type { LeaseStore } from '../grants/lease-store';
import { createUploadActions } from './actions';
import { createBackgroundLoop, type Timers } from './background-loop';
import type { UploadProviderInfo, UploadsApi } from './provider';
import type { RateGate } from './rate-gate';
import type { Runtime } from './runtime';
import type { UploadStore } from './store';
import type { SyncedSessions } from './synced-sessions';
import { createUploadWorker, type UploadGrants, type UploadWorkerDeps, type UploadWorkerOptions } from './worker';

/**
 * One provider's upload queue, whole (issue 16): its worker (worker.ts), the member's actions on
 * it (actions.ts) and this process's background loop (background-loop.ts). A provider's feature
 * (strava/feature.ts, intervals/feature.ts) gives who it is, its grant check (`grants`), its
 * upload adapter (`api`), its rate gate and its stores, and keeps only what is its own: how a
 * member connects, what its status says, extra queues (intervals.icu's wellness).
 */
export interface ProviderQueueDeps extends Runtime {
  provider: UploadProviderInfo;
  stores: { uploads: UploadStore; sessions: SyncedSessions; leases: LeaseStore };
  grants: UploadGrants;
  api: UploadsApi;
  rate: RateGate;
  logger: Logger;
  /** The member's link to an activity at the provider. */
  activityUrl: (activityId: string) => string;
  options: Partial<UploadWorkerOptions>;
  powerSongs?: UploadWorkerDeps['powerSongs'];
  /** The pause between two passes of the loop, unless `start` is given another. */
  intervalMs: number;
  /** Names the loop in logs; `<provider> uploads` by default. */
  loopName?: string;
  /** More work of the provider in every pass, after the uploads (intervals.icu's wellness). */
  alsoEachPass?: () => Promise<void>;
  /** The provider's own clean-up, run before the queue's (old rate blocks), about one pass in twenty. */
  housekeeping?: () => Promise<void>;
  timers?: Timers;
}

/** How often a pass also cleans up: rarely, since every process runs the loop. */
const HOUSEKEEPING_SHARE = 0.05;
/** Rate blocks older than this are no use to anyone. */
const RATE_BLOCK_KEEP_MS = 86_400_000;

export function createProviderQueue(deps: ProviderQueueDeps) {
  const { stores, now, random } = deps;
  const store = stores.uploads;
  const worker = createUploadWorker({
    ...deps,
    store,
    sessions: stores.sessions,
    leases: stores.leases,
  });
  const loop = createBackgroundLoop({
    name: deps.loopName ?? `${deps.provider.name} uploads`,
    logger: deps.logger,
    ...(deps.timers ? { timers: deps.timers } : {}),
    async pass() {
      await worker.discover(() => store.autoMembers());
      await worker.runDue();
      await deps.alsoEachPass?.();
      if (random() < HOUSEKEEPING_SHARE) {
        await deps.housekeeping?.();
        await store.purgeRateBlocks(now() - RATE_BLOCK_KEEP_MS);
      }
    },
  });
  const actions = createUploadActions({ store, sessions: stores.sessions, rate: deps.rate, now, activityUrl: deps.activityUrl, kick: loop.kick });
  return {
    worker,
    kick: loop.kick,
    afterConnect: actions.afterConnect,
    chooseMode: actions.chooseMode,
    /** What a feature offers its routes as it is: an upload by hand, a retry, the uploads for history. */
    member: { uploadByHand: actions.uploadByHand, retry: actions.retry, uploads: actions.list },
    /** Starts this process's loop (passes `intervalMs` apart); `stop` waits for a running pass. */
    start: (intervalMs = deps.intervalMs) => loop.start(intervalMs),
  };
}

export type ProviderQueue = ReturnType<typeof createProviderQueue>;
