/**
 * Shared set-up for the Spotify integration tests: a real PocketBase, the Spotify emulator
 * in-process on a free port (with an optional hook around every emulator request), and real
 * sync-server processes configured against it. Every response the tests see and every cookie
 * is recorded, so a file can end by scanning them, and the server logs, for token values.
 */
import { randomBytes } from 'node:crypto';
import PocketBase from 'pocketbase';
import { createSpotifyEmulator, type SpotifyEmulatorOptions } from '../spotify-emulator';
import { newMember } from '../support/http-client';
import { adminClient, emulatorControl, oauthDance, recordingClient as recordingInto, serveEmulator, type EmuHook } from '../support/oauth-dance';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

export const CLIENT = { id: 'hrm-test-client', secret: 'hrm-test-secret', redirectUris: ['http://127.0.0.1/api/v1/spotify/callback'] };
export const PLAYLIST = 'spotify:playlist:37i9dQZF1DX76Wlfdnj7AP';

export { adminClient, type EmuHook };

export interface Emulator {
  accountsUrl: string;
  apiUrl: string;
  control: string;
  setHook(h: EmuHook | null): void;
  ctl<T = any>(path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startEmulator(options: SpotifyEmulatorOptions = {}): Promise<Emulator> {
  const emulator = createSpotifyEmulator({ clients: [CLIENT], users: [], ...options });
  const { info, setHook, close } = await serveEmulator((req, env) => emulator.app.fetch(req, env as never));
  const base = `http://127.0.0.1:${info.port}`;
  return {
    accountsUrl: `${base}/accounts`,
    apiUrl: `${base}/api`,
    control: `${base}/__emu`,
    setHook,
    ctl: (path, body) => emulatorControl(`${base}/__emu`, path, body),
    close,
  };
}

export const TOKEN_KEY = randomBytes(32).toString('base64');

export function spotifyEnv(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SPOTIFY_CLIENT_ID: CLIENT.id,
    SPOTIFY_CLIENT_SECRET: CLIENT.secret,
    SPOTIFY_ACCOUNTS_URL: emu.accountsUrl,
    SPOTIFY_API_URL: emu.apiUrl,
    SPOTIFY_TOKEN_KEY: TOKEN_KEY,
    ...extra,
  };
}

export async function startSpotifyServer(pb: TestPocketBase, emu: Emulator, extra: Record<string, string> = {}): Promise<TestServer> {
  return startSyncServer({ pb, env: spotifyEnv(emu, extra) });
}

/** Every body and cookie any test client received. */
export const seen: string[] = [];

export const recordingClient = (base: string) => recordingInto(base, seen);

export type Member = Awaited<ReturnType<typeof newSpotifyMember>>;

let users = 0;

/**
 * A signed-in HRM member with an emulator user of their own (Premium, allowlisted unless
 * told otherwise) who has a phone playing the "Running 160 BPM" playlist.
 */
export async function newSpotifyMember(server: TestServer, emu: Emulator, opts: { product?: 'premium' | 'free'; allowlisted?: boolean } = {}) {
  users += 1;
  const spotifyUser = `u${users}${randomBytes(3).toString('hex')}`;
  await emu.ctl('/users', { id: spotifyUser, product: opts.product ?? 'premium', allowlisted: opts.allowlisted ?? true });
  await emu.ctl('/devices', {
    user: spotifyUser,
    devices: [
      { id: `${spotifyUser}-phone`, name: 'Phone', type: 'Smartphone', volumePercent: 60 },
      { id: `${spotifyUser}-speaker`, name: 'Speaker', type: 'Speaker', volumePercent: 30 },
    ],
    active: `${spotifyUser}-phone`,
  });
  await emu.ctl('/playback', { user: spotifyUser, contextUri: PLAYLIST, positionMs: 10_000, isPlaying: true, repeat: 'context' });
  const m = newMember('sp');
  const c = recordingClient(server.url);
  const reg = await c.post('/api/v1/auth/register', m);
  if (reg.status !== 202) throw new Error(`register: ${reg.status} ${reg.text}`);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  return { c, spotifyUser, memberId: login.body.user.id as string, server };
}

/** The whole connect dance; returns where the callback sent the browser. */
export async function connect(member: Member, emu: Emulator, decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
  await emu.ctl('/consent', { user: member.spotifyUser, decision });
  return oauthDance(member, '/api/v1/spotify/connect');
}

export async function connected(server: TestServer, emu: Emulator, opts?: { product?: 'premium' | 'free'; allowlisted?: boolean }) {
  const m = await newSpotifyMember(server, emu, opts);
  const back = await connect(m, emu);
  if (back.searchParams.get('spotify') !== 'connected') throw new Error(`not connected: ${back.href}`);
  return m;
}

export async function calls(emu: Emulator, user: string, route?: string): Promise<number> {
  const q = new URLSearchParams({ user, ...(route ? { route } : {}) });
  return (await emu.ctl(`/calls?${q}`)).total;
}

/** Refresh-token grants only (the code exchange of a connect is not a refresh). */
export async function tokenCalls(emu: Emulator, user: string): Promise<number> {
  const log = await emu.ctl(`/calls?${new URLSearchParams({ user, route: 'POST /api/token' })}`);
  return log.entries.filter((e: { grantType: string | null }) => e.grantType === 'refresh_token').length;
}

/**
 * Time passes by `ms` for both sides: the emulator's clock moves on, and the member's stored
 * grant and now-playing cache are moved back by the same amount (the server reads wall time).
 */
export async function timePasses(admin: PocketBase, emu: Emulator, memberId: string, ms: number) {
  await emu.ctl('/clock', { advanceMs: ms });
  const g = await admin.collection('spotify_grants').getOne(memberId);
  await admin.collection('spotify_grants').update(memberId, {
    authorized_at: Math.max(1, g.authorized_at - ms),
    expires_at: Math.max(1, g.expires_at - ms),
  });
  await expireNowPlaying(admin, memberId);
}

/** The shared now-playing cache of this member is old: the next read asks Spotify. */
export async function expireNowPlaying(admin: PocketBase, memberId: string) {
  await admin
    .collection('spotify_now_playing')
    .update(memberId, { fetched_at: 1 })
    .catch(() => undefined);
}

/** Closes every app-wide 429 circuit (append-only rows keyed `circuit:…`); returns how many. */
export async function closeCircuits(admin: PocketBase): Promise<number> {
  const rows = await admin.collection('spotify_app_state').getFullList({ filter: "key ~ 'circuit:%'", fields: 'id' });
  for (const r of rows) await admin.collection('spotify_app_state').delete(r.id);
  return rows.length;
}

/** The emulator's tokens (access and refresh) ever issued, for the leak scan. */
export async function allTokens(emu: Emulator): Promise<string[]> {
  const t = await emu.ctl('/tokens');
  return [...t.accessTokens.map((x: any) => x.token), ...t.refreshTokens.map((x: any) => x.token)];
}

export { leaks } from '../support/leak-scan';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls to a route answered with `status`, for every user (a 401 names no user in the log). */
export async function statusCount(emu: Emulator, route: string, status: number): Promise<number> {
  const log = await emu.ctl(`/calls?${new URLSearchParams({ route })}`);
  return log.byStatus[route]?.[String(status)] ?? 0;
}
