/** Helpers for the emulator's own tests: a manual clock, instant sleeps, and a scripted login. */
import { createManualClock, DEFAULT_START_MS } from './clock';
import { createSpotifyEmulator, type SpotifyEmulatorOptions } from './emulator';
import { s256Challenge } from './pkce';

export const CLIENT = { id: 'client-a', secret: 'secret-a', redirectUris: ['https://hrm.example/api/spotify/callback', 'http://127.0.0.1:8080/cb'] };
export const REDIRECT = CLIENT.redirectUris[0]!;
export const VERIFIER = 'v'.repeat(20) + '-._~0123456789ABCDEFGHIJKLMN';
export const ALL_SCOPES = 'user-read-playback-state user-modify-playback-state user-read-currently-playing user-read-recently-played user-read-private user-read-email';

export function setup(options: SpotifyEmulatorOptions = {}) {
  const clock = createManualClock(DEFAULT_START_MS);
  const sleeps: number[] = [];
  const emulator = createSpotifyEmulator({
    clients: [CLIENT],
    users: [
      { id: 'alice', product: 'premium' },
      { id: 'bob', product: 'free' },
      { id: 'carol', product: 'premium', allowlisted: false },
    ],
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  const { app } = emulator;

  const control = async (path: string, body?: unknown) => {
    const res = await app.request(`/__emu${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    return res;
  };

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.request('/accounts/api/token', {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });

  const basic = (id = CLIENT.id, secret = CLIENT.secret) => ({ Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

  /** GET /authorize and return the redirect URL (or the raw response when it is not a redirect). */
  const authorize = async (params: Record<string, string> = {}) => {
    const q = new URLSearchParams({ client_id: CLIENT.id, response_type: 'code', redirect_uri: REDIRECT, scope: ALL_SCOPES, state: 'st-1', ...params });
    const res = await app.request(`/accounts/authorize?${q}`);
    const location = res.headers.get('location');
    return { res, url: location === null ? null : new URL(location) };
  };

  /** Log `user` in through the full code flow; PKCE when `pkce` is set. */
  const login = async (user = 'alice', opts: { pkce?: boolean; scope?: string } = {}) => {
    await control('/consent', { user, decision: 'approve' });
    const extra: Record<string, string> = opts.scope === undefined ? {} : { scope: opts.scope };
    if (opts.pkce) {
      extra.code_challenge = await s256Challenge(VERIFIER);
      extra.code_challenge_method = 'S256';
    }
    const { url } = await authorize(extra);
    const code = url!.searchParams.get('code')!;
    const res = opts.pkce
      ? await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT.id, code_verifier: VERIFIER })
      : await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic());
    const body = (await res.json()) as { access_token: string; refresh_token: string; scope: string };
    return body;
  };

  const refresh = (refreshToken: string, pkce = false) =>
    pkce
      ? token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT.id })
      : token({ grant_type: 'refresh_token', refresh_token: refreshToken }, basic());

  const api = (path: string, accessToken: string, init: RequestInit = {}) =>
    app.request(`/api${path}`, { ...init, headers: { Authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string> | undefined) } });

  const mode = (knobs: Record<string, unknown>) => control('/mode', knobs);

  const calls = async () =>
    (await (await control('/calls')).json()) as {
      total: number;
      byRoute: Record<string, number>;
      byRefreshToken: Record<string, number>;
      byStatus: Record<string, Record<string, number>>;
    };

  const tokens = async () =>
    (await (await control('/tokens')).json()) as {
      refreshTokens: { token: string; state: string; grantId: string }[];
      accessTokens: { token: string; state: string }[];
    };

  return { emulator, app, clock, sleeps, control, token, basic, authorize, login, refresh, api, mode, calls, tokens };
}

export type Harness = ReturnType<typeof setup>;

/** alice with a phone (active) playing the first two default tracks, 10 s in. */
export async function playing(h: Harness, user = 'alice') {
  await h.control('/devices', { user, devices: [{ id: 'phone', type: 'Smartphone' }, { id: 'speaker', type: 'Speaker', supportsVolume: false }], active: 'phone' });
  await h.control('/playback', { user, queue: ['4uLU6hMCjMI75M1A2tKUQC', '7ouMYWpwJ422jRcDASZB7P'], positionMs: 10_000, isPlaying: true });
}
