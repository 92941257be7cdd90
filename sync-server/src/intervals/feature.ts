import type { Logger } from 'pino';
import type PocketBase from 'pocketbase';
import type { LeaseStore } from '../grants/lease-store';
import { createPbGrantStore } from '../grants/pb-grant-store';
import type { GrantStore } from '../grants/store';
import { createTokenCipher, type TokenKey } from '../grants/token-cipher';
import { createLeases } from '../spotify/lease';
import { createOAuthConnect, type OAuthConnectResult } from '../oauth/connect';
import { createPbOAuthStates, type OAuthStates } from '../oauth/states';
import { createMemoryAlarms } from '../strava/grants';
import { chooseMode, iso } from '../uploads/actions';
import { connectionOf } from '../uploads/connection';
import { createPbUploadStore, type UploadCollections } from '../uploads/pb-store';
import type { UploadProviderInfo } from '../uploads/provider';
import { createProviderQueue } from '../uploads/provider-queue';
import { createRateGate, retryAfterBlock } from '../uploads/rate-gate';
import { processHolder, runtimeOf, type Runtime } from '../uploads/runtime';
import type { UploadMode, UploadStore } from '../uploads/store';
import { createPbSyncedSessions, type SyncedSessions } from '../uploads/synced-sessions';
import { createIntervalsApi, keyAuthorization, type IntervalsApi } from './api';
import type { IntervalsConfig } from './config';
import { intervalsConnectProvider } from './connect';
import { authorizations, createIntervalsGrants, grantedScopes, grantKind, INTERVALS_GRANT_COLLECTIONS, mayWriteWellness } from './grants';
import { createWellnessWorker } from './wellness';

/**
 * The intervals.icu feature (issue 16): connect with a personal API key (checked at
 * intervals.icu, then stored sealed through the shared grant engine) or, where the operator
 * registered an app, by OAuth (the flow Strava uses too: oauth/connect.ts), disconnect, the member's
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
  /** One-time OAuth states (used only when OAuth is configured). */
  states: OAuthStates;
}

export interface IntervalsFeatureDeps extends Partial<Runtime> {
  config: IntervalsConfig & { tokenKey: TokenKey };
  stores: IntervalsStores;
  logger: Logger;
  api?: IntervalsApi;
  /** The token endpoint's fetch (tests); the global one without. */
  oauthFetch?: typeof fetch;
}

export type ConnectResult = { ok: true } | { ok: false; reason: 'invalid_key' | 'unavailable' | 'rate_limited' };

export function createIntervalsFeature(deps: IntervalsFeatureDeps) {
  const { config, stores, logger } = deps;
  const rt = runtimeOf(deps);
  const { now, holder } = rt;
  const api = deps.api ?? createIntervalsApi(config.apiUrl);
  const keys = createIntervalsGrants({ ...rt, grants: stores.grants, leases: stores.leases, cipher: createTokenCipher(config.tokenKey), alarms: createMemoryAlarms(), logger });
  const { store, engine } = keys;
  // Calls carry Basic for a key grant, Bearer for an OAuth grant.
  const calls = authorizations(engine);
  const oauth = config.oauth
    ? createOAuthConnect({ provider: intervalsConnectProvider(config.oauth, deps.oauthFetch ? { fetch: deps.oauthFetch } : {}), states: stores.states, store, logger, now })
    : null;
  const rate = createRateGate(stores.uploads, now, retryAfterBlock);
  const wellness = createWellnessWorker({ ...rt, store: stores.wellness, sessions: stores.sessions, grants: calls, api, rate, leases: stores.leases, logger, leaseMs: config.uploadLeaseMs });
  const queue = createProviderQueue({
    ...rt,
    provider: INTERVALS_PROVIDER,
    activityUrl: intervalsActivityUrl,
    stores,
    grants: calls,
    api,
    rate,
    logger,
    options: { leaseMs: config.uploadLeaseMs, pollMs: 1_000 },
    intervalMs: config.uploadIntervalMs,
    loopName: 'intervals',
    // Every pass: uploads, then wellness, then (now and then) housekeeping.
    async alsoEachPass() {
      await wellness.discover();
      await wellness.runDue();
    },
    ...(oauth ? { housekeeping: () => oauth.purgeExpired() } : {}),
  });

  /** After any (re)connect: uploads and wellness that failed for want of a connection go again. */
  const afterConnect = (memberId: string) => queue.afterConnect(memberId, [stores.wellness]);

  return {
    configured: true as const,
    worker: queue.worker,
    wellness,
    engine,
    holder,

    async status(memberId: string) {
      const [g, mode, wellnessMode, block] = await Promise.all([store.get(memberId), stores.uploads.mode(memberId), stores.wellness.mode(memberId), rate.waitUntil()]);
      return {
        configured: true,
        ...connectionOf(g, store.openTokens),
        /** Whether "Connect with intervals.icu" (OAuth) is offered beside the personal key. */
        oauth: oauth !== null,
        /** How the member is connected; the scopes intervals.icu granted (OAuth only). */
        method: g ? grantKind(g) : null,
        scopes: g ? grantedScopes(g) : null,
        wellnessAllowed: g ? mayWriteWellness(g) : true,
        mode,
        wellness: wellnessMode === 'auto',
        connectedAt: g ? iso(g.authorizedAt) : null,
        waitingUntil: block ? iso(block.until) : null,
        settingsUrl: INTERVALS_SETTINGS_URL,
      };
    },

    /** Checks the key at intervals.icu (GET /athlete/0), then stores it sealed. The key is never logged. */
    async connectKey(memberId: string, apiKey: string): Promise<ConnectResult> {
      const a = await api.athlete(keyAuthorization(apiKey));
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
      await afterConnect(memberId);
      return { ok: true };
    },

    /** OAuth (null: not configured): the authorize URL for a session, and the callback. */
    oauth: oauth && {
      start: oauth.start,
      async finish(session: { id: string; userId: string } | null, q: Parameters<typeof oauth.finish>[1]): Promise<OAuthConnectResult> {
        const r = await oauth.finish(session, q);
        if (!r.ok) return r;
        // WELLNESS:WRITE unticked: wellness is switched off rather than attempted and refused.
        if (!mayWriteWellness({ scopes: r.scopes })) await chooseMode(stores.wellness, stores.sessions, r.memberId, 'off');
        await afterConnect(r.memberId);
        return r;
      },
    },

    /** Deletes our sealed key or token. intervals.icu has no revoke call: the member deletes the key, or removes the app, in their settings. */
    async disconnect(memberId: string) {
      const removed = await store.remove(memberId);
      logger.info({ member: memberId }, 'intervals: disconnected');
      return { removed };
    },

    /** `wellness_not_granted`: an OAuth grant without WELLNESS:WRITE cannot turn wellness on (nothing changes). */
    async setPreferences(memberId: string, prefs: { mode?: UploadMode; wellness?: boolean }): Promise<{ mode: UploadMode; wellness: boolean } | { refused: 'wellness_not_granted' }> {
      if (prefs.wellness === true) {
        const g = await store.get(memberId);
        if (g && !mayWriteWellness(g)) return { refused: 'wellness_not_granted' };
      }
      if (prefs.mode !== undefined) await queue.chooseMode(memberId, prefs.mode);
      // Wellness, like "every workout", starts with workouts synced from now on.
      if (prefs.wellness !== undefined) await chooseMode(stores.wellness, stores.sessions, memberId, prefs.wellness ? 'auto' : 'off');
      return { mode: await stores.uploads.mode(memberId), wellness: (await stores.wellness.mode(memberId)) === 'auto' };
    },

    /** Upload by hand, retry, the uploads for history (uploads/actions.ts). */
    ...queue.member,
    /** The background loop of this process: uploads, then wellness, then housekeeping. */
    start: queue.start,
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
    states: createPbOAuthStates(pb, 'intervals_oauth_states'),
  };
}

export function createIntervalsService(deps: Omit<IntervalsFeatureDeps, 'stores'> & { pb: PocketBase }) {
  const holder = deps.holder ?? processHolder();
  return createIntervalsFeature({ ...deps, holder, stores: createPbIntervalsStores(deps.pb, holder) });
}
