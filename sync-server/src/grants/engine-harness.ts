/**
 * Providers for the grant engine's contract suite (engine.contract.ts): each drives its own
 * emulator in-process (tests/spotify-emulator, tests/strava-emulator) on one manual clock shared
 * with the engines, connects a member through the emulator's real authorization-code flow, and
 * reads the emulator's call log. Test code only.
 */
import pino from 'pino';
import { createManualClock, DEFAULT_START_MS, type ControllableClock } from '../../../tests/spotify-emulator/clock';
import { createSpotifyEmulator } from '../../../tests/spotify-emulator/emulator';
import { createStravaEmulator } from '../../../tests/strava-emulator/emulator';
import { createSpotifyHttp } from '../spotify/spotify-http';
import { spotifyGrantProvider } from '../spotify/token-engine';
import { SPOTIFY_SEAL } from '../spotify/grants';
import { createMemoryAlarms, STRAVA_SEAL, stravaGrantProvider } from '../strava/grants';
import { createStravaHttp } from '../strava/http';
import { createGrantEngine, type GrantEngine } from './engine';
import type { LeaseStore } from './lease-store';
import { createSealedGrants, type SealedGrants } from './sealed';
import type { GrantStore } from './store';
import { createTokenCipher } from './token-cipher';

export type ProviderName = 'spotify' | 'strava';

/** One server process: its own engine (and so its own in-process single flight) over shared storage. */
export interface EngineProcess {
  store: SealedGrants;
  engine: GrantEngine;
}

export interface ProviderHarness {
  name: ProviderName;
  clock: ControllableClock;
  /** Access-token lifetime at this provider. */
  accessTtlMs: number;
  process(grants: GrantStore, leases: LeaseStore): EngineProcess;
  /** The real code flow at the emulator, then the grant stored as a connect stores it. */
  connect(p: EngineProcess, memberId: string): Promise<void>;
  /** The member revokes the app at the provider. */
  revoke(): Promise<void>;
  /** Refresh-token grants the provider has answered. */
  refreshCalls(): Promise<number>;
  /** Whether the provider still accepts this refresh token (rotated-out and revoked ones do not). */
  refreshTokenLive(token: string): Promise<boolean>;
}

const KEY = { id: 'k-test', key: Buffer.alloc(32, 7) };
const logger = pino({ level: 'silent' });
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Hono's in-process `request` as a fetch, so adapters talk HTTP to an emulator without a socket. */
const inProcessFetch = (app: { request: (input: string, init?: RequestInit) => Response | Promise<Response> }): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => app.request(String(input instanceof Request ? input.url : input), init)) as typeof fetch;

export function stravaHarness(): ProviderHarness {
  const clock = createManualClock(DEFAULT_START_MS);
  const client = { id: '777', secret: 'strava-secret', callbackDomain: 'hrm.example' };
  const emu = createStravaEmulator({ clients: [client], athletes: [{ id: 42 }], clock });
  const fetchImpl = inProcessFetch(emu.app);
  const http = createStravaHttp({ oauthUrl: 'http://strava.emu/oauth', apiUrl: 'http://strava.emu/api/v3', clientId: client.id, clientSecret: client.secret }, { fetch: fetchImpl, now: clock.now });
  const cipher = createTokenCipher(KEY, []);
  return {
    name: 'strava',
    clock,
    accessTtlMs: 6 * 3600_000,
    process(grants, leases) {
      const store = createSealedGrants(grants, cipher, STRAVA_SEAL);
      const engine = createGrantEngine({ provider: stravaGrantProvider(http), store, leases, alarms: createMemoryAlarms(), logger, now: clock.now, random: () => 0.5, sleep: realSleep });
      return { store, engine };
    },
    async connect(p, memberId) {
      const q = new URLSearchParams({ client_id: client.id, response_type: 'code', redirect_uri: 'https://hrm.example/api/v1/strava/callback', scope: 'read,activity:write', state: 's' });
      const location = (await emu.app.request(`/oauth/authorize?${q}`)).headers.get('location')!;
      const code = new URL(location).searchParams.get('code')!;
      const outcome = await http.exchangeCode(code);
      if (outcome.kind !== 'ok') throw new Error(`strava code exchange: ${outcome.kind}`);
      const t = outcome.tokens;
      await p.store.replace(memberId, { accessToken: t.accessToken, refreshToken: t.refreshToken!, expiresAt: t.expiresAtMs!, scopes: 'read,activity:write', authorizedAt: clock.now() }, clock.now());
    },
    async revoke() {
      await emu.app.request('/__emu/revoke', { method: 'POST', body: JSON.stringify({ athleteId: 42 }), headers: { 'Content-Type': 'application/json' } });
    },
    async refreshCalls() {
      return emu.state.calls.filter((c) => c.route === 'POST /oauth/token' && c.grantType === 'refresh_token').length;
    },
    async refreshTokenLive(token) {
      const rt = emu.state.refresh.get(token);
      return rt !== undefined && (rt.rotatedAt === null || clock.now() < rt.rotatedAt + emu.state.knobs.oldRefreshGraceMs);
    },
  };
}

/** Spotify in its strictest mode: every refresh rotates, and reusing a rotated-out token revokes the grant. */
export function spotifyHarness(): ProviderHarness {
  const clock = createManualClock(DEFAULT_START_MS);
  const client = { id: 'spot-client', secret: 'spot-secret', redirectUris: ['https://hrm.example/api/v1/spotify/callback'] };
  const emu = createSpotifyEmulator({ clients: [client], users: [{ id: 'ann', product: 'premium' }], clock, knobs: { rotation: 'strict' }, sleep: async () => undefined });
  const fetchImpl = inProcessFetch(emu.app);
  const http = createSpotifyHttp({ accountsUrl: 'http://spotify.emu/accounts', apiUrl: 'http://spotify.emu/api', clientId: client.id, clientSecret: client.secret }, fetchImpl);
  const cipher = createTokenCipher(KEY, []);
  const control = (path: string, body: unknown) => emu.app.request(`/__emu${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return {
    name: 'spotify',
    clock,
    accessTtlMs: 3600_000,
    process(grants, leases) {
      const store = createSealedGrants(grants, cipher, SPOTIFY_SEAL);
      const engine = createGrantEngine({ provider: spotifyGrantProvider(http), store, leases, alarms: createMemoryAlarms(), logger, now: clock.now, random: () => 0.5, sleep: realSleep });
      return { store, engine };
    },
    async connect(p, memberId) {
      await control('/consent', { user: 'ann', decision: 'approve' });
      const q = new URLSearchParams({ client_id: client.id, response_type: 'code', redirect_uri: client.redirectUris[0]!, scope: 'user-read-currently-playing', state: 's' });
      const location = (await emu.app.request(`/accounts/authorize?${q}`)).headers.get('location')!;
      const code = new URL(location).searchParams.get('code')!;
      const res = await emu.app.request('/accounts/api/token', {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0]! }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
      });
      const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
      await p.store.replace(memberId, { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: clock.now() + t.expires_in * 1000, scopes: t.scope, authorizedAt: clock.now() }, clock.now());
    },
    async revoke() {
      await control('/revoke', { user: 'ann', accessTokens: 'kill' });
    },
    async refreshCalls() {
      return emu.state.calls.filter((c) => c.route === 'POST /api/token' && c.grantType === 'refresh_token').length;
    },
    async refreshTokenLive(token) {
      const rt = emu.state.refreshTokens.get(token);
      if (!rt) return false;
      const grant = emu.state.grants.get(rt.grantId);
      return rt.rotatedAt === null && rt.revokedAt === null && grant !== undefined && grant.revokedAt === null;
    },
  };
}

export const harnesses: Record<ProviderName, () => ProviderHarness> = { spotify: spotifyHarness, strava: stravaHarness };
