import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type PocketBase from 'pocketbase';
import type { LeaseStore } from '../grants/lease-store';
import { createPbGrantStore } from '../grants/pb-grant-store';
import type { GrantStore } from '../grants/store';
import { createTokenCipher, type TokenKey } from '../grants/token-cipher';
import { createLeases } from '../spotify/lease';
import { createMemoryAlarms } from '../strava/grants';
import { createPbUploadStore, type UploadCollections } from '../uploads/pb-store';
import type { UploadProviderInfo } from '../uploads/provider';
import { createRateGate, retryAfterBlock } from '../uploads/rate-gate';
import type { UploadJob, UploadMode, UploadStore } from '../uploads/store';
import { createPbSyncedSessions, type SyncedSessions } from '../uploads/synced-sessions';
import { createUploadWorker } from '../uploads/worker';
import { createIntervalsApi, type IntervalsApi } from './api';
import type { IntervalsConfig } from './config';
import { createIntervalsGrants, INTERVALS_GRANT_COLLECTIONS } from './grants';
import { createWellnessWorker } from './wellness';

/**
 * The intervals.icu feature (issue 16): connect with a personal API key (checked at
 * intervals.icu, then stored sealed through the shared grant engine), disconnect, the member's
 * upload choice and wellness opt-in, and two queues (activities, wellness) on the shared upload
 * queue machinery. The key never leaves the server: every answer is a state.
 */
export const INTERVALS_SETTINGS_URL = 'https://intervals.icu/settings';
export const intervalsActivityUrl = (id: string) => `https://intervals.icu/activities/${encodeURIComponent(id)}`;
export const INTERVALS_PROVIDER: UploadProviderInfo = { name: 'intervals', label: 'intervals.icu', trainer: true };
export const INTERVALS_UPLOAD_COLLECTIONS: UploadCollections = {
  jobs: 'intervals_upload_jobs',
  versions: 'intervals_upload_versions',
  blocks: 'intervals_rate_blocks',
  prefs: 'intervals_prefs',
  scans: 'intervals_scans',
};
export const INTERVALS_WELLNESS_COLLECTIONS: UploadCollections = {
  jobs: 'intervals_wellness_jobs',
  versions: 'intervals_wellness_versions',
  blocks: 'intervals_rate_blocks',
  prefs: 'intervals_wellness_prefs',
  scans: 'intervals_wellness_scans',
};
/** A personal API key as intervals.icu shows it: letters and digits; we accept any printable token. */
export const API_KEY_PATTERN = /^[\x21-\x7e]{8,200}$/;

export interface IntervalsStores {
  grants: GrantStore;
  leases: LeaseStore;
  uploads: UploadStore;
  wellness: UploadStore;
  sessions: SyncedSessions;
}

export interface IntervalsFeatureDeps {
  config: IntervalsConfig & { tokenKey: TokenKey };
  stores: IntervalsStores;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  api?: IntervalsApi;
  holder?: string;
}

export type IntervalsUploadView = {
  sessionId: string;
  state: UploadJob['state'];
  attempts: number;
  activityId: string | null;
  activityUrl: string | null;
  reason: string | null;
  error: string | null;
  waitingUntil: string | null;
  updatedAt: string;
};

export type ConnectResult = { ok: true } | { ok: false; reason: 'invalid_key' | 'unavailable' | 'rate_limited' };

export function createIntervalsFeature(deps: IntervalsFeatureDeps) {
  const { config, stores, logger } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const holder = deps.holder ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const api = deps.api ?? createIntervalsApi(config.apiUrl);
  const cipher = createTokenCipher(config.tokenKey);
  const keys = createIntervalsGrants({ grants: stores.grants, leases: stores.leases, cipher, alarms: createMemoryAlarms(), logger, now, random, sleep });
  const { store, engine } = keys;
  const rate = createRateGate(stores.uploads, now, retryAfterBlock);
  const worker = createUploadWorker({
    store: stores.uploads,
    sessions: stores.sessions,
    grants: engine,
    api,
    provider: INTERVALS_PROVIDER,
    rate,
    leases: stores.leases,
    holder,
    logger,
    now,
    sleep,
    random,
    options: { leaseMs: config.uploadLeaseMs, pollMs: 1_000 },
  });
  const wellness = createWellnessWorker({ store: stores.wellness, sessions: stores.sessions, grants: engine, api, rate, leases: stores.leases, holder, logger, now, random, leaseMs: config.uploadLeaseMs });

  const iso = (ms: number) => new Date(ms).toISOString();
  const view = (j: UploadJob, waitingUntil: number | null): IntervalsUploadView => ({
    sessionId: j.sessionId,
    state: j.state,
    attempts: j.attempts,
    activityId: j.activityId,
    activityUrl: j.activityId ? intervalsActivityUrl(j.activityId) : null,
    reason: j.reason || null,
    error: j.error || null,
    waitingUntil: waitingUntil !== null && (j.state === 'queued' || j.state === 'uploading') ? iso(waitingUntil) : null,
    updatedAt: iso(Math.max(j.finishedAt, j.createdAt)),
  });
  const waiting = async () => (await rate.waitUntil())?.until ?? null;
  const retryJob = (job: UploadJob) => stores.uploads.cas(job, { state: 'queued', attempts: 0, nextRunAt: now(), reason: '', error: '', leaseUntil: 0, finishedAt: 0 });
  let kick: (() => void) | null = null;

  return {
    configured: true as const,
    worker,
    wellness,
    engine,
    holder,

    async status(memberId: string) {
      const [g, mode, wellnessMode, block] = await Promise.all([store.get(memberId), stores.uploads.mode(memberId), stores.wellness.mode(memberId), rate.waitUntil()]);
      const needsReconnect = !!g && (g.status === 'needs_reconnect' || store.openTokens(g) === null);
      return {
        configured: true,
        state: !g ? ('not_connected' as const) : needsReconnect ? ('needs_reconnect' as const) : ('connected' as const),
        connected: !!g && !needsReconnect,
        mode,
        wellness: wellnessMode === 'auto',
        connectedAt: g ? iso(g.authorizedAt) : null,
        waitingUntil: block ? iso(block.until) : null,
        settingsUrl: INTERVALS_SETTINGS_URL,
      };
    },

    /** Checks the key at intervals.icu (GET /athlete/0), then stores it sealed. The key is never logged. */
    async connectKey(memberId: string, apiKey: string): Promise<ConnectResult> {
      const a = await api.athlete(apiKey);
      if (a.kind === 'unauthorized' || a.kind === 'not_found' || a.kind === 'rejected') {
        logger.info({ member: memberId }, 'intervals: an API key was refused at connect');
        return { ok: false, reason: 'invalid_key' };
      }
      if (a.kind === 'rate_limited') {
        await rate.record(a.rate, true);
        return { ok: false, reason: 'rate_limited' };
      }
      if (a.kind !== 'ok') return { ok: false, reason: 'unavailable' };
      await keys.saveKey(memberId, apiKey, now());
      logger.info({ member: memberId }, 'intervals: connected with a personal API key');
      // Uploads that failed for want of a connection go again.
      for (const j of await stores.uploads.ofMember(memberId, { limit: 200 })) {
        if (j.state === 'failed' && (j.reason === 'needs_reconnect' || j.reason === 'not_connected')) await retryJob(j);
      }
      for (const j of await stores.wellness.ofMember(memberId, { limit: 200 })) {
        if (j.state === 'failed' && (j.reason === 'needs_reconnect' || j.reason === 'not_connected'))
          await stores.wellness.cas(j, { state: 'queued', attempts: 0, nextRunAt: now(), reason: '', error: '', leaseUntil: 0, finishedAt: 0 });
      }
      kick?.();
      return { ok: true };
    },

    /** Deletes our sealed key. intervals.icu has no revoke call for personal keys: the member deletes it in their settings. */
    async disconnect(memberId: string) {
      const removed = await store.remove(memberId);
      logger.info({ member: memberId }, 'intervals: disconnected');
      return { removed };
    },

    async setPreferences(memberId: string, prefs: { mode?: UploadMode; wellness?: boolean }) {
      if (prefs.mode !== undefined) {
        const since = prefs.mode === 'auto' ? await stores.sessions.head(memberId) : 0;
        await stores.uploads.setMode(memberId, prefs.mode, since);
      }
      if (prefs.wellness !== undefined) {
        // Wellness starts with workouts synced from now on.
        const since = prefs.wellness ? await stores.sessions.head(memberId) : 0;
        await stores.wellness.setMode(memberId, prefs.wellness ? 'auto' : 'off', since);
      }
      return { mode: await stores.uploads.mode(memberId), wellness: (await stores.wellness.mode(memberId)) === 'auto' };
    },

    async uploadByHand(memberId: string, sessionId: string): Promise<IntervalsUploadView | 'not_found' | 'not_finished'> {
      const loaded = await stores.sessions.load(memberId, sessionId);
      if (loaded.kind === 'gone') return 'not_found';
      if (loaded.kind === 'incomplete') return 'not_finished';
      let { job } = await stores.uploads.enqueue(memberId, sessionId, now());
      if (job.state === 'failed' || job.state === 'cancelled') job = (await retryJob(job)) ?? job;
      kick?.();
      return view(job, await waiting());
    },

    async retry(memberId: string, sessionId: string): Promise<IntervalsUploadView | null> {
      const job = await stores.uploads.ofSession(memberId, sessionId);
      if (!job) return null;
      const next = job.state === 'failed' || job.state === 'cancelled' ? ((await retryJob(job)) ?? (await stores.uploads.get(job.id)) ?? job) : job;
      kick?.();
      return view(next, await waiting());
    },

    async uploads(memberId: string, sessionIds?: readonly string[]) {
      const [jobs, w] = await Promise.all([stores.uploads.ofMember(memberId, { sessionIds, limit: 200 }), waiting()]);
      return { uploads: jobs.map((j) => view(j, w)), waitingUntil: w === null ? null : iso(w) };
    },

    /** The background loop of this process: uploads, then wellness, then housekeeping. */
    start(intervalMs = config.uploadIntervalMs) {
      let stopped = false;
      let running: Promise<void> | null = null;
      let timer: NodeJS.Timeout | null = null;
      const pass = async () => {
        await worker.discover(() => stores.uploads.autoMembers());
        await worker.runDue();
        await wellness.discover();
        await wellness.runDue();
        if (random() < 0.05) await stores.uploads.purgeRateBlocks(now() - 86_400_000);
      };
      const tick = () => {
        if (stopped || running) return;
        running = pass()
          .catch((e: Error) => logger.warn({ err: e.message }, 'intervals: pass failed'))
          .finally(() => {
            running = null;
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      kick = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        tick();
      };
      timer = setTimeout(tick, Math.min(intervalMs, 1_000));
      return {
        async stop() {
          stopped = true;
          if (timer) clearTimeout(timer);
          await running;
        },
      };
    },
  };
}

export type IntervalsFeature = ReturnType<typeof createIntervalsFeature>;

export function createPbIntervalsStores(pb: PocketBase, holder: string): IntervalsStores {
  return {
    grants: createPbGrantStore(pb, INTERVALS_GRANT_COLLECTIONS),
    leases: createLeases(pb, holder, 'provider_leases'),
    uploads: createPbUploadStore(pb, INTERVALS_UPLOAD_COLLECTIONS),
    wellness: createPbUploadStore(pb, INTERVALS_WELLNESS_COLLECTIONS),
    sessions: createPbSyncedSessions(pb),
  };
}

export function createIntervalsService(deps: Omit<IntervalsFeatureDeps, 'stores'> & { pb: PocketBase }) {
  const holder = deps.holder ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  return createIntervalsFeature({ ...deps, holder, stores: createPbIntervalsStores(deps.pb, holder) });
}
