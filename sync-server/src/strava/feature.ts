import type { Logger } from 'pino';
import type PocketBase from 'pocketbase';
import type { StravaConfig } from '../config';
import type { LeaseStore } from '../grants/lease-store';
import { createPbGrantStore, STRAVA_GRANT_COLLECTIONS } from '../grants/pb-grant-store';
import type { GrantStore } from '../grants/store';
import { createTokenCipher } from '../grants/token-cipher';
import { createLeases } from '../spotify/lease';
import { iso } from '../uploads/actions';
import { connectionOf } from '../uploads/connection';
import { createPbOAuthStates, type OAuthStates } from '../oauth/states';
import { createPbUploadStore } from '../uploads/pb-store';
import type { UploadProviderInfo } from '../uploads/provider';
import { createProviderQueue } from '../uploads/provider-queue';
import { createRateGate } from '../uploads/rate-gate';
import { processHolder, runtimeOf, type Runtime } from '../uploads/runtime';
import type { UploadMode, UploadStore } from '../uploads/store';
import { createPbSyncedSessions, type SyncedSessions } from '../uploads/synced-sessions';
import { createStravaConnect } from './connect';
import { createMemoryAlarms, createStravaGrants } from './grants';
import { createStravaHttp, type StravaHttp } from './http';
import { createPbPowerSongs, type PowerSongsOf } from './power-songs';
import { createStravaUploadsApi, type StravaUploadsApi } from './uploads-api';

/**
 * The Strava feature (issue 16): connect and disconnect, the member's upload choice, and the
 * upload queue with its worker. The server is the only holder of Strava tokens: everything here
 * answers with states, never with credentials.
 */
export const STRAVA_MANAGE_APPS_URL = 'https://www.strava.com/settings/apps';
export const stravaActivityUrl = (activityId: string) => `https://www.strava.com/activities/${activityId}`;
export const STRAVA_PROVIDER: UploadProviderInfo = { name: 'strava', label: 'Strava', trainer: true };
/** The lease collection of every provider after Spotify (pb_migrations/1763902500_strava_uploads.js). */
export const PROVIDER_LEASES = 'provider_leases';

export interface StravaStores {
  grants: GrantStore;
  leases: LeaseStore;
  states: OAuthStates;
  uploads: UploadStore;
  sessions: SyncedSessions;
}

export interface StravaFeatureDeps extends Partial<Runtime> {
  config: StravaConfig & { tokenKey: { id: string; key: Buffer } };
  stores: StravaStores;
  logger: Logger;
  http?: StravaHttp;
  api?: StravaUploadsApi;
  /** The workout's power songs for the description (./power-songs.ts); none without. */
  powerSongs?: PowerSongsOf;
}

export function createStravaFeature(deps: StravaFeatureDeps) {
  const { config, stores, logger } = deps;
  const rt = runtimeOf(deps);
  const { now, holder } = rt;
  const http = deps.http ?? createStravaHttp(config);
  const api = deps.api ?? createStravaUploadsApi(config.apiUrl);
  const { store, engine } = createStravaGrants({ ...rt, grants: stores.grants, leases: stores.leases, cipher: createTokenCipher(config.tokenKey), http, alarms: createMemoryAlarms(), logger });
  const connect = createStravaConnect({ states: stores.states, http, store, logger, now, oauthUrl: config.oauthUrl, clientId: config.clientId, redirectUri: config.redirectUri });
  const rate = createRateGate(stores.uploads, now);
  const queue = createProviderQueue({
    ...rt,
    provider: STRAVA_PROVIDER,
    activityUrl: stravaActivityUrl,
    stores,
    grants: engine,
    api,
    rate,
    logger,
    options: { leaseMs: config.uploadLeaseMs, pollMs: config.uploadPollMs },
    ...(deps.powerSongs ? { powerSongs: deps.powerSongs } : {}),
    intervalMs: config.uploadIntervalMs,
    // Housekeeping: expired OAuth states, then (the queue's own) old rate blocks.
    housekeeping: () => connect.purgeExpired(),
  });

  return {
    configured: true as const,
    connect,
    worker: queue.worker,
    engine,
    holder,

    async status(memberId: string) {
      const [g, mode, block] = await Promise.all([store.get(memberId), stores.uploads.mode(memberId), rate.waitUntil()]);
      return {
        configured: true,
        ...connectionOf(g, store.openTokens),
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
    afterConnect: (memberId: string) => queue.afterConnect(memberId),

    async setMode(memberId: string, mode: UploadMode) {
      await queue.chooseMode(memberId, mode);
      return { mode };
    },

    /** Upload by hand, retry, the uploads for history (uploads/actions.ts). */
    ...queue.member,
    /** The background loop of this process: discovery, due jobs, housekeeping. */
    start: queue.start,
  };
}

export type StravaFeature = ReturnType<typeof createStravaFeature>;

/** Every Strava store over PocketBase, for one server process. */
export function createPbStravaStores(pb: PocketBase, holder: string): StravaStores {
  return {
    grants: createPbGrantStore(pb, STRAVA_GRANT_COLLECTIONS),
    leases: createLeases(pb, holder, PROVIDER_LEASES),
    states: createPbOAuthStates(pb, 'strava_oauth_states'),
    uploads: createPbUploadStore(pb),
    sessions: createPbSyncedSessions(pb),
  };
}

export function createStravaService(deps: Omit<StravaFeatureDeps, 'stores'> & { pb: PocketBase }) {
  const holder = deps.holder ?? processHolder();
  return createStravaFeature({ powerSongs: createPbPowerSongs(deps.pb), ...deps, holder, stores: createPbStravaStores(deps.pb, holder) });
}
