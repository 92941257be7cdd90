import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { AnnotateStore } from './annotate-store';
import { createSpotifyFeature } from './feature';
import { createMemorySpotifyStores } from './memory-stores';
import type { ApiAnswer, ApiResult, SpotifyHttp, TokenOutcome } from './spotify-http';
import { deriveKeyId } from './token-cipher';

/**
 * The Spotify feature over in-memory stores, a manual clock (sleep moves it) and a scripted
 * Spotify: unit tests drive the real engine, Web API caller, player and now playing with it.
 */
export type ApiHandler = (method: string, path: string, token: string) => Promise<ApiResult> | ApiResult;

export const answer = (status: number, json: unknown = null, plainText = false): ApiResult => ({
  kind: 'answer',
  answer: { status, headers: new Headers(), json, plainText } satisfies ApiAnswer,
});

export const playing = (id: string) => ({
  is_playing: true,
  progress_ms: 1_000,
  currently_playing_type: 'track',
  item: { type: 'track', id, uri: `spotify:track:${id}`, name: `Track ${id}`, duration_ms: 200_000, artists: [{ name: 'A' }], album: { name: 'B', images: [] } },
});

/** `tracks`: a session-tracks store of the test's own (e.g. one it seeds with workouts). */
export function spotifyFixture(opts: { tracks?: AnnotateStore } = {}) {
  const clock = { t: 1_800_000_000_000 };
  const { stores, wedge } = createMemorySpotifyStores(opts);
  const calls: { method: string; path: string; token: string }[] = [];
  const refreshes: string[] = [];
  let api: ApiHandler = () => answer(204);
  let refresh: (rt: string) => Promise<TokenOutcome> | TokenOutcome = () => ({ kind: 'ok', tokens: { accessToken: `at-${refreshes.length}`, refreshToken: null, expiresInSec: 3600, scope: null } });
  let exchange: () => TokenOutcome = () => ({ kind: 'ok', tokens: { accessToken: 'at-connect', refreshToken: 'rt-connect', expiresInSec: 3600, scope: null } });
  const http: SpotifyHttp = {
    exchangeCode: async () => exchange(),
    refresh: async (rt) => {
      refreshes.push(rt);
      return refresh(rt);
    },
    api: async (method, path, token) => {
      calls.push({ method, path, token });
      return api(method, path, token);
    },
  };
  const key = randomBytes(32);
  const feature = createSpotifyFeature({
    config: {
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'https://127.0.0.1/api/v1/spotify/callback',
      accountsUrl: 'https://accounts.invalid',
      apiUrl: 'https://api.invalid',
      tokenKey: { id: deriveKeyId(key), key },
      previousTokenKeys: [],
      callsPer30s: 1000,
      jobIntervalMs: 60_000,
    },
    stores,
    logger: pino({ level: 'silent' }),
    http,
    now: () => clock.t,
    random: () => 0.5,
    sleep: async (ms) => {
      clock.t += ms;
      await new Promise((r) => setImmediate(r));
    },
  });
  return {
    feature,
    stores,
    wedge,
    clock,
    calls,
    refreshes,
    onApi: (h: ApiHandler) => (api = h),
    onRefresh: (h: (rt: string) => Promise<TokenOutcome> | TokenOutcome) => (refresh = h),
    onExchange: (h: () => TokenOutcome) => (exchange = h),
    /** A connected member whose access token `at-0` is valid for `validForMs`. */
    async member(validForMs = 3_600_000) {
      const id = randomBytes(7).toString('hex');
      await feature.store.replace(id, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: clock.t + validForMs, scopes: 'x', authorizedAt: clock.t }, clock.t);
      return id;
    },
  };
}
