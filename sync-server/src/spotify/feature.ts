import type { Logger } from 'pino';
import type { SpotifyConfig } from '../config';
import { createAnnotator, type AnnotatorOptions } from './annotate';
import type { AnnotateStore } from './annotate-store';
import type { AppStateStore } from './app-state';
import { createConnect } from './connect';
import type { GrantStore } from './grant-store';
import { createGrants } from './grants';
import { isLease, type LeaseStore } from './lease-store';
import { afterNoContent, isServable, normalizeCurrentlyPlaying, NOW_PLAYING_TTL_MS, progressAt, type NowPlaying } from './now-playing';
import type { NowPlayingCache } from './now-playing-cache';
import type { OAuthStateStore } from './oauth-state-store';
import { createPlayer } from './player';
import { rankPowerSongs } from './power-songs';
import { problem, type Problem, type SpotifyProblem } from './problems';
import { createSingleFlight } from './single-flight';
import { createSpotifyHttp, type SpotifyHttp } from './spotify-http';
import { consentExpiresAt, consentExpiresSoon } from './timing';
import { createTokenCipher } from './token-cipher';
import { createTokenEngine } from './token-engine';
import { createWebApi } from './web-api';

/**
 * The Spotify feature over its stores: the refresh engine, the Web API caller, now playing
 * with its shared cache, the player, and connecting. Storage is a parameter (PocketBase in
 * service.ts, memory in unit tests), as are every clock, random source and the HTTP adapter.
 */
export const MANAGE_APPS_URL = 'https://www.spotify.com/account/apps/';
export { NOW_PLAYING_TTL_MS };
/** How long a request waits for another process's now-playing fetch before it gets what is known. */
const NOW_PLAYING_WAIT_MS = 4_000;
const NOW_PLAYING_LEASE_MS = 8_000;

/**
 * Where now playing is read: currently-playing (P2) for a member's own bar; the player state
 * (P6, the same fields plus the device) where the device is shown too. One call either way.
 */
export type NowPlayingSource = 'currently-playing' | 'player';
const NOW_PLAYING_PATHS: Record<NowPlayingSource, string> = {
  'currently-playing': '/v1/me/player/currently-playing?additional_types=episode',
  player: '/v1/me/player?additional_types=episode',
};

export interface SpotifyStores {
  grants: GrantStore;
  leases: LeaseStore;
  appState: AppStateStore;
  nowPlaying: NowPlayingCache;
  oauthStates: OAuthStateStore;
  tracks: AnnotateStore;
}

export interface SpotifyFeatureDeps {
  config: SpotifyConfig & { tokenKey: { id: string; key: Buffer } };
  stores: SpotifyStores;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  http?: SpotifyHttp;
  /** The tracks-of-a-workout job's schedule and slack (tests shorten the schedule). */
  tracks?: AnnotatorOptions;
}

export interface NowPlayingView extends NowPlaying {
  fetchedAt: number;
  /** True when this is the last known state because Spotify could not be asked just now. */
  stale: boolean;
  degraded: SpotifyProblem | null;
  retryAfterMs?: number;
}

export function createSpotifyFeature(deps: SpotifyFeatureDeps) {
  const { config, stores, logger } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const cipher = createTokenCipher(config.tokenKey, config.previousTokenKeys);
  const http = deps.http ?? createSpotifyHttp(config);
  const store = createGrants(stores.grants, cipher);
  const leases = stores.leases;
  const appState = stores.appState;
  const engine = createTokenEngine({ store, leases, http, appState, logger, now, random, sleep });
  const api = createWebApi({ http, engine, store, appState, logger, now, random, sleep });
  const cache = stores.nowPlaying;
  const player = createPlayer({ api, store, cache, now });
  const connect = createConnect({
    states: stores.oauthStates,
    http,
    store,
    cipher,
    appState,
    logger,
    now,
    accountsUrl: config.accountsUrl,
    clientId: config.clientId,
    redirectUri: config.redirectUri,
  });
  const npFlight = createSingleFlight<NowPlayingView | Problem>();
  const trackStore = stores.tracks;
  const annotator = createAnnotator({
    store: trackStore,
    api,
    leases,
    connectedMembers: () => trackStore.connectedMembers(),
    logger,
    now,
    random,
    ...(deps.tracks ? { options: deps.tracks } : {}),
  });

  const view = (state: NowPlaying, fetchedAt: number, stale: boolean, degraded: SpotifyProblem | null = null, retryAfterMs?: number): NowPlayingView => ({
    ...state,
    progressMs: progressAt(state, fetchedAt, now()),
    fetchedAt,
    stale,
    degraded,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

  /** Problems that mean "no Spotify for this member at all": never paper over them with a cache. */
  const terminal = (p: SpotifyProblem) => p === 'not_connected' || p === 'needs_reconnect' || p === 'limited_beta';

  async function fetchNowPlaying(memberId: string, source: NowPlayingSource): Promise<NowPlayingView | Problem> {
    const cached = await cache.get(memberId);
    const r = await api.call(memberId, 'GET', NOW_PLAYING_PATHS[source], { idempotent: true });
    if (!r.ok) {
      if (!terminal(r.problem) && cached) return view(cached.state, cached.fetchedAt, true, r.problem, r.retryAfterMs);
      return r;
    }
    const a = r.answer;
    const t = now();
    let next: { state: NowPlaying; noneSince: number };
    if (a.status === 204) next = afterNoContent(cached?.state ?? null, cached?.noneSince ?? 0, t);
    else if (a.status === 200) next = { state: normalizeCurrentlyPlaying(a.json), noneSince: 0 };
    else {
      const p: Problem = a.status === 403 ? problem('forbidden') : problem('unavailable', 2_000);
      return cached ? view(cached.state, cached.fetchedAt, true, p.problem) : p;
    }
    await cache.put(memberId, { state: next.state, fetchedAt: t, noneSince: next.noneSince });
    return view(next.state, t, false);
  }

  async function nowPlayingShared(memberId: string, source: NowPlayingSource): Promise<NowPlayingView | Problem> {
    const lease = await leases.tryAcquire(`now-playing:${memberId}`, NOW_PLAYING_LEASE_MS, now());
    if (isLease(lease)) {
      try {
        const cached = await cache.get(memberId);
        if (cached && isServable(cached, now())) return view(cached.state, cached.fetchedAt, false);
        return await fetchNowPlaying(memberId, source);
      } finally {
        await lease.release();
      }
    }
    // Another process is asking Spotify right now: wait briefly for its answer.
    const deadline = now() + NOW_PLAYING_WAIT_MS;
    let cached = await cache.get(memberId);
    while (now() < deadline) {
      await sleep(100);
      cached = await cache.get(memberId);
      if (cached && isServable(cached, now())) return view(cached.state, cached.fetchedAt, false);
      if (now() >= lease.heldUntil) return nowPlayingShared(memberId, source);
    }
    return cached ? view(cached.state, cached.fetchedAt, true, 'unavailable', 1_000) : problem('unavailable', 1_000);
  }

  return {
    store,
    connect,
    player,
    appState,

    /**
     * What is true right now (issue 11 defect 3): not connected, needs reconnect (Spotify
     * refused the grant, or its tokens cannot be opened any more), temporarily unavailable
     * (the last Spotify exchange failed and nothing has succeeded since, or the app-wide 429
     * circuit is open), or connected.
     */
    async status(memberId: string) {
      const t = now();
      const [g, health, mutedFrom, circuit, alarm] = await Promise.all([
        store.get(memberId),
        store.health(memberId),
        store.mutedFrom(memberId),
        appState.circuit(t),
        appState.alarm(),
      ]);
      const app = { alarm: alarm?.reason ?? null, circuit: circuit ? { reason: circuit.reason, until: new Date(circuit.until).toISOString() } : null };
      if (!g) return { configured: true, connected: false, status: 'not_connected' as const, state: 'not_connected' as const, needsReconnect: false, app, manageAppsUrl: MANAGE_APPS_URL };
      const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);
      const needsReconnect = g.status === 'needs_reconnect' || store.openTokens(g) === null;
      const unavailable = !needsReconnect && (health.consecutiveFailures > 0 || circuit !== null);
      const retryAt = Math.max(health.backoffUntil, circuit?.until ?? 0);
      return {
        configured: true,
        connected: !needsReconnect,
        status: needsReconnect ? ('needs_reconnect' as const) : ('ok' as const),
        state: needsReconnect ? ('needs_reconnect' as const) : unavailable ? ('unavailable' as const) : ('connected' as const),
        needsReconnect,
        unavailable,
        ...(unavailable ? { retryAfterSec: Math.max(1, Math.ceil((retryAt - t) / 1000)) } : {}),
        authorizedAt: iso(g.authorizedAt),
        consentExpiresAt: iso(consentExpiresAt(g.authorizedAt)),
        consentExpiresSoon: !needsReconnect && consentExpiresSoon(g.authorizedAt, t),
        scopes: g.scopes.split(' ').filter(Boolean),
        consecutiveFailures: health.consecutiveFailures,
        lastFailure: health.lastFailureType ? { type: health.lastFailureType, at: iso(health.lastFailureAt) } : null,
        lastSuccessAt: iso(health.lastSuccessAt),
        muted: mutedFrom > 0,
        app,
        manageAppsUrl: MANAGE_APPS_URL,
      };
    },

    /**
     * The shared, debounced now-playing state; Spotify is asked at most once per TTL per member,
     * whichever source asks. `player` (class mode) also names the device; a state cached from
     * `currently-playing` within the TTL is served as it is, without one.
     */
    async nowPlaying(memberId: string, source: NowPlayingSource = 'currently-playing'): Promise<NowPlayingView | Problem> {
      const cached = await cache.get(memberId);
      if (cached && isServable(cached, now())) {
        const g = await store.get(memberId);
        if (!g) return problem('not_connected');
        if (g.status !== 'ok') return problem('needs_reconnect');
        return view(cached.state, cached.fetchedAt, false);
      }
      return npFlight(memberId, () => nowPlayingShared(memberId, source));
    },

    async disconnect(memberId: string): Promise<void> {
      await store.remove(memberId);
      await cache.remove(memberId);
      logger.info({ member: memberId }, 'spotify: disconnected (tokens deleted)');
    },

    /** Tracks that played during a synced session; null when the session is not the member's. */
    async sessionTracks(memberId: string, sessionId: string) {
      const session = await trackStore.finishedSession(memberId, sessionId);
      if (session === 'gone') return null;
      const [job, tracks] = await Promise.all([trackStore.jobOf(memberId, sessionId), trackStore.tracks(memberId, sessionId)]);
      // waiting: not looked at yet; checking: found what there is, looking again for late plays.
      const state =
        session === 'unfinished' ? 'unfinished' : !job || (job.state === 'pending' && job.runs === 0) ? 'waiting' : job.state === 'pending' ? 'checking' : job.state;
      return {
        sessionId,
        state,
        incomplete: job?.incomplete ?? false,
        checkedAt: job && job.lastRunAt > 0 ? new Date(job.lastRunAt).toISOString() : null,
        tracks: tracks.map((t) => ({
          trackId: t.trackId,
          uri: t.uri,
          name: t.name,
          artists: t.artists,
          album: t.album,
          albumArtUrl: t.albumArtUrl,
          durationMs: t.durationMs,
          startedAt: new Date(t.startAt).toISOString(),
          playedAt: new Date(t.playedAt).toISOString(),
          avgBpm: t.avgBpm,
          peakBpm: t.peakBpm,
        })),
      };
    },

    /** The member's tracks ranked by average heart rate while played, with play counts. */
    async powerSongs(memberId: string) {
      const songs = rankPowerSongs(await trackStore.allTracks(memberId));
      return songs.map((s) => ({ ...s, lastPlayedAt: new Date(s.lastPlayedAt).toISOString() }));
    },

    /** The tracks job alone (tests and operators can run a pass on demand). */
    tracksPass: () => annotator.pass(),

    /** One pass of the background job: refresh grants ahead of expiry, trim old rows, tracks. */
    async backgroundPass(): Promise<void> {
      const due = await store.dueBefore(now() + 6 * 60_000);
      for (const g of due) {
        // One failure never stops the others.
        await engine.refreshIfDue(g.memberId).catch((e: Error) => logger.warn({ member: g.memberId, err: e.message }, 'spotify: background refresh failed'));
      }
      await appState.purge(now() - 5 * 60_000).catch(() => undefined);
      await stores.grants.purgeHealth(now() - 24 * 3_600_000).catch(() => undefined);
      await connect.purgeExpired().catch(() => undefined);
      await annotator.pass().catch((e: Error) => logger.warn({ err: e.message }, 'spotify: tracks pass failed'));
    },
  };
}

export type SpotifyService = ReturnType<typeof createSpotifyFeature>;

/** Runs the background pass every `intervalMs` (with jitter) until stopped. */
export function startSpotifyJobs(service: SpotifyService, logger: Logger, intervalMs = 60_000) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = service
        .backgroundPass()
        .catch((e: Error) => logger.warn({ err: e.message }, 'spotify: background pass failed'))
        .finally(() => {
          running = null;
          schedule();
        });
    }, Math.floor(intervalMs * (0.75 + Math.random() * 0.5)));
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
