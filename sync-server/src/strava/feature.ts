import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type PocketBase from 'pocketbase';
import type { StravaConfig } from '../config';
import type { LeaseStore } from '../grants/lease-store';
import { createPbGrantStore, STRAVA_GRANT_COLLECTIONS } from '../grants/pb-grant-store';
import type { GrantStore } from '../grants/store';
import { createTokenCipher } from '../grants/token-cipher';
import { createLeases } from '../spotify/lease';
import { createPbUploadStore } from '../uploads/pb-store';
import { createRateGate } from '../uploads/rate-gate';
import type { UploadJob, UploadMode, UploadStore } from '../uploads/store';
import { createPbSyncedSessions, type SyncedSessions } from '../uploads/synced-sessions';
import { activityUrl, createUploadWorker } from '../uploads/worker';
import { createStravaConnect } from './connect';
import { createMemoryAlarms, createStravaGrants } from './grants';
import { createStravaHttp, type StravaHttp } from './http';
import { createPbPowerSongs, type PowerSongsOf } from './power-songs';
import { createPbStravaOAuthStates, type StravaOAuthStates } from './oauth-states';
import { createStravaUploadsApi, type StravaUploadsApi } from './uploads-api';

/**
 * The Strava feature (issue 16): connect and disconnect, the member's upload choice, and the
 * upload queue with its worker. The server is the only holder of Strava tokens: everything here
 * answers with states, never with credentials.
 */
export const STRAVA_MANAGE_APPS_URL = 'https://www.strava.com/settings/apps';
/** The lease collection of every provider after Spotify (pb_migrations/1763902500_strava_uploads.js). */
export const PROVIDER_LEASES = 'provider_leases';

export interface StravaStores {
  grants: GrantStore;
  leases: LeaseStore;
  states: StravaOAuthStates;
  uploads: UploadStore;
  sessions: SyncedSessions;
}

export interface StravaFeatureDeps {
  config: StravaConfig & { tokenKey: { id: string; key: Buffer } };
  stores: StravaStores;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  http?: StravaHttp;
  api?: StravaUploadsApi;
  holder?: string;
  /** The workout's power songs for the description (./power-songs.ts); none without. */
  powerSongs?: PowerSongsOf;
}

export type UploadView = {
  sessionId: string;
  state: UploadJob['state'];
  attempts: number;
  activityId: string | null;
  activityUrl: string | null;
  reason: string | null;
  error: string | null;
  /** Waiting for Strava's rate-limit window until then (ISO), while queued. */
  waitingUntil: string | null;
  updatedAt: string;
};

export function createStravaFeature(deps: StravaFeatureDeps) {
  const { config, stores, logger } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const holder = deps.holder ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const cipher = createTokenCipher(config.tokenKey);
  const http = deps.http ?? createStravaHttp(config);
  const api = deps.api ?? createStravaUploadsApi(config.apiUrl);
  const { store, engine } = createStravaGrants({ grants: stores.grants, leases: stores.leases, cipher, http, alarms: createMemoryAlarms(), logger, now, random, sleep });
  const connect = createStravaConnect({ states: stores.states, http, store, logger, now, oauthUrl: config.oauthUrl, clientId: config.clientId, redirectUri: config.redirectUri });
  const rate = createRateGate(stores.uploads, now);
  const worker = createUploadWorker({
    store: stores.uploads,
    sessions: stores.sessions,
    grants: engine,
    api,
    rate,
    leases: stores.leases,
    holder,
    logger,
    now,
    sleep,
    random,
    options: { leaseMs: config.uploadLeaseMs, pollMs: config.uploadPollMs },
    ...(deps.powerSongs ? { powerSongs: deps.powerSongs } : {}),
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  const view = (j: UploadJob, waitingUntil: number | null): UploadView => ({
    sessionId: j.sessionId,
    state: j.state,
    attempts: j.attempts,
    activityId: j.activityId,
    activityUrl: j.activityId ? activityUrl(j.activityId) : null,
    reason: j.reason || null,
    error: j.error || null,
    waitingUntil: waitingUntil !== null && (j.state === 'queued' || j.state === 'uploading') ? iso(waitingUntil) : null,
    updatedAt: iso(Math.max(j.finishedAt, j.createdAt)),
  });
  const waiting = async () => (await rate.waitUntil())?.until ?? null;

  let kick: (() => void) | null = null;

  return {
    configured: true as const,
    connect,
    worker,
    engine,
    holder,

    async status(memberId: string) {
      const [g, mode, block] = await Promise.all([store.get(memberId), stores.uploads.mode(memberId), rate.waitUntil()]);
      const needsReconnect = !!g && (g.status === 'needs_reconnect' || store.openTokens(g) === null);
      return {
        configured: true,
        state: !g ? ('not_connected' as const) : needsReconnect ? ('needs_reconnect' as const) : ('connected' as const),
        connected: !!g && !needsReconnect,
        mode,
        authorizedAt: g ? iso(g.authorizedAt) : null,
        waitingUntil: block ? iso(block.until) : null,
        manageAppsUrl: STRAVA_MANAGE_APPS_URL,
      };
    },

    /** Deletes our tokens (after asking Strava to revoke the app, best effort). Upload history stays. */
    async disconnect(memberId: string): Promise<{ revokedAtStrava: boolean }> {
      const g = await store.get(memberId);
      let revoked = false;
      const tokens = g ? store.openTokens(g) : null;
      if (tokens && g!.status === 'ok') revoked = await http.deauthorize(tokens.accessToken).catch(() => false);
      await store.remove(memberId);
      logger.info({ member: memberId, revokedAtStrava: revoked }, 'strava: disconnected');
      return { revokedAtStrava: revoked };
    },

    /** After a (re)connect: uploads that failed for want of a connection go again. */
    async afterConnect(memberId: string) {
      for (const j of await stores.uploads.ofMember(memberId, { limit: 200 })) {
        if (j.state === 'failed' && (j.reason === 'needs_reconnect' || j.reason === 'not_connected')) await retryJob(j);
      }
      kick?.();
    },

    async setMode(memberId: string, mode: UploadMode) {
      // "Every workout" starts now: workouts already synced go up only by hand.
      const since = mode === 'auto' ? await stores.sessions.head(memberId) : 0;
      await stores.uploads.setMode(memberId, mode, since);
      return { mode };
    },

    /** A member's "upload" click (any number of them): one job per workout. */
    async uploadByHand(memberId: string, sessionId: string): Promise<UploadView | 'not_found' | 'not_finished'> {
      const loaded = await stores.sessions.load(memberId, sessionId);
      if (loaded.kind === 'gone') return 'not_found';
      if (loaded.kind === 'incomplete') return 'not_finished';
      let { job } = await stores.uploads.enqueue(memberId, sessionId, now());
      if (job.state === 'failed' || job.state === 'cancelled') job = (await retryJob(job)) ?? job;
      kick?.();
      return view(job, await waiting());
    },

    async retry(memberId: string, sessionId: string): Promise<UploadView | null> {
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

    /** The background loop of this process: discovery, due jobs, housekeeping. */
    start(intervalMs = config.uploadIntervalMs) {
      let stopped = false;
      let running: Promise<void> | null = null;
      let timer: NodeJS.Timeout | null = null;
      const pass = async () => {
        await worker.discover(() => stores.uploads.autoMembers());
        await worker.runDue();
        if (random() < 0.05) {
          await connect.purgeExpired();
          await stores.uploads.purgeRateBlocks(now() - 86_400_000);
        }
      };
      const tick = () => {
        if (stopped || running) return;
        running = pass()
          .catch((e: Error) => logger.warn({ err: e.message }, 'strava uploads: pass failed'))
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

  async function retryJob(job: UploadJob) {
    return stores.uploads.cas(job, { state: 'queued', attempts: 0, nextRunAt: now(), reason: '', error: '', leaseUntil: 0, finishedAt: 0 });
  }
}

export type StravaFeature = ReturnType<typeof createStravaFeature>;

/** Every Strava store over PocketBase, for one server process. */
export function createPbStravaStores(pb: PocketBase, holder: string): StravaStores {
  return {
    grants: createPbGrantStore(pb, STRAVA_GRANT_COLLECTIONS),
    leases: createLeases(pb, holder, PROVIDER_LEASES),
    states: createPbStravaOAuthStates(pb),
    uploads: createPbUploadStore(pb),
    sessions: createPbSyncedSessions(pb),
  };
}

export function createStravaService(deps: Omit<StravaFeatureDeps, 'stores'> & { pb: PocketBase }) {
  const holder = deps.holder ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  return createStravaFeature({ powerSongs: createPbPowerSongs(deps.pb), ...deps, holder, stores: createPbStravaStores(deps.pb, holder) });
}
