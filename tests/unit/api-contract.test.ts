import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AcceptedSchema,
  API_ERRORS,
  CoCoachInvitedSchema,
  CreatedDisplaySchema,
  DeviceSessionsResponseSchema,
  ErrorBodySchema,
  isApiErrorCode,
  isRetryable,
  JoinedSchema,
  LoginResponseSchema,
  MeResponseSchema,
  MyInvitationsSchema,
  NowPlayingSchema,
  PairedSchema,
  PowerSongsResponseSchema,
  PullResponseSchema,
  PushResponseSchema,
  RoomDetailSchema,
  RoomDisplaysResponseSchema,
  RoomInvitationsResponseSchema,
  RoomMusicResponseSchema,
  RoomOkSchema,
  RoomOnlySchema,
  RoomParticipantsResponseSchema,
  RoomReportSchema,
  ResultPostedSchema,
  ClaimedResultSchema,
  RoomsResponseSchema,
  RoomVolumeReplySchema,
  RoomWithTimerSchema,
  SessionChunksResponseSchema,
  SessionTracksSchema,
  SpotifyDevicesResponseSchema,
  SpotifyDisconnectResponseSchema,
  SpotifyOkSchema,
  SpotifyPlaylistsResponseSchema,
  SpotifyStatusSchema,
  TimerRefusedSchema,
  TimerReplySchema,
  VerifyResponseSchema,
  type ApiErrorCode,
} from '../../core/api';
import { liveSession, pushBody, upsert } from '../../core/sync/testing/fixtures';
import { tabataPlan } from '../../core/workout';
import { errorResponse } from '../../sync-server/src/app';
import { createMemoryAccountStore } from '../../sync-server/src/auth/memory-account-store';
import { createMemoryLimiter } from '../../sync-server/src/auth/memory-limiter';
import { createMemorySessionStore } from '../../sync-server/src/auth/memory-session-store';
import { createPasswordPolicy } from '../../sync-server/src/auth/password-policy';
import { SESSION_COOKIE } from '../../sync-server/src/auth/require-session';
import type { SessionMember } from '../../sync-server/src/auth/session-store';
import { createSessions } from '../../sync-server/src/auth/sessions';
import { createThrottle } from '../../sync-server/src/auth/throttle';
import { AppError, errorStatus } from '../../sync-server/src/http/errors';
import { requestLog } from '../../sync-server/src/http/request-log';
import type { AppEnv } from '../../sync-server/src/http/types';
import { createLiveHub } from '../../sync-server/src/live/hub';
import { createMemoryBus } from '../../sync-server/src/live/memory-bus';
import { createMemoryRoomStore } from '../../sync-server/src/rooms/memory-room-store';
import { createMemoryTimerStore } from '../../sync-server/src/rooms/memory-timer-store';
import { createMemoryResultStore } from '../../sync-server/src/rooms/memory-result-store';
import { createRoomMusic } from '../../sync-server/src/rooms/music';
import { createClassResults } from '../../sync-server/src/rooms/results';
import { createRoomService } from '../../sync-server/src/rooms/service';
import { authRoutes, type AuthDeps } from '../../sync-server/src/routes/auth';
import { meRoutes } from '../../sync-server/src/routes/me';
import { roomsRoutes } from '../../sync-server/src/routes/rooms';
import { spotifyRoutes } from '../../sync-server/src/routes/spotify';
import { liveRecord } from '../../sync-server/src/spotify/annotate-store.contract';
import type { SpotifyService } from '../../sync-server/src/spotify/feature';
import { answer, playing, spotifyFixture } from '../../sync-server/src/spotify/feature-fixture';
import { createMemoryAnnotateStore } from '../../sync-server/src/spotify/memory-annotate-store';
import { createMemorySyncApp } from '../../sync-server/src/sync/testing/memory-sync-app';
import { isRetryable as clientRetries } from '../../web/src/lib/api/errors';

// The REST contract is defined once (core/api): the server maps codes to statuses through the
// catalog, and the PWA's client reads the same catalog to decide what to retry. Below, the REAL
// routes of every group answer over the in-memory stores (app.request, no socket, no
// PocketBase), and each answer must parse with core/api's schema AND come out of it unchanged:
// a field the contract does not describe fails the test, as does an error code not in the catalog.
const codes = Object.keys(API_ERRORS) as ApiErrorCode[];

describe('the error catalog', () => {
  it('is the server’s status table: every AppError answers its catalog status', () => {
    expect(Object.keys(errorStatus).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(errorStatus[code]).toBe(API_ERRORS[code].status);
      expect(new AppError(code, 'x').status).toBe(API_ERRORS[code].status);
      expect(new AppError(code, 'x').retryable).toBe(API_ERRORS[code].retryable);
    }
  });

  it('retryable codes are the 429 and 5xx answers that end by themselves', () => {
    for (const code of codes) {
      const { status, retryable } = API_ERRORS[code];
      if (retryable) expect([429, 500, 503], code).toContain(status);
      else if (status >= 500) expect(['spotify_misconfigured', 'spotify_rejected'], code).toContain(code);
    }
    expect(isRetryable('sync_busy', 503)).toBe(true);
    expect(isRetryable('stale_cursor', 409)).toBe(false);
    // A code this build does not know: by its status.
    expect(isRetryable('brand_new_code', 503)).toBe(true);
    expect(isRetryable('brand_new_code', 400)).toBe(false);
  });

  it('the PWA retries what the catalog says, and a lost connection', () => {
    const error = (code: string, status: number) => ({ code, status, message: '', requestId: null });
    expect(clientRetries(error('network', 0))).toBe(true);
    expect(clientRetries(error('aborted', 0))).toBe(false);
    expect(clientRetries(error('rate_limited', 429))).toBe(true);
    expect(clientRetries(error('unauthenticated', 401))).toBe(false);
    expect(clientRetries(error('spotify_needs_reconnect', 409))).toBe(false);
  });

  it('holds every code the server source can put in an error body', async () => {
    // The type system already refuses an AppError code outside the catalog; this also reads the
    // literals (AppError codes, the Spotify problem table, the limiter's verdicts, the timer's
    // refusals) so a code smuggled in through a cast or a string shows up here.
    const root = fileURLToPath(new URL('../../sync-server/src', import.meta.url));
    const found = new Set<string>();
    const patterns = [/new AppError\(\s*'([a-z_]+)'/g, /\bcode:\s*'([a-z_]+)'/g, /'(conflict|timer_rejected)'/g];
    for (const file of await sourceFiles(root)) {
      const text = await readFile(file, 'utf8');
      for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]!);
    }
    expect([...found].filter((c) => !isApiErrorCode(c))).toEqual([]);
    expect(found.size).toBeGreaterThan(20);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'testing' ? Promise.resolve([]) : sourceFiles(full);
      return Promise.resolve(/\.ts$/.test(e.name) && !/\.(test|contract)\.ts$/.test(e.name) && !/^memory-|fixture/.test(e.name) ? [full] : []);
    }),
  );
  return nested.flat();
}

// ---------------------------------------------------------------------------------------------
// Helpers: an answer must parse with its schema and lose nothing; an error must be the envelope
// with a catalog code at the catalog's status.

async function ok<S extends z.ZodType>(res: Response | Promise<Response>, status: number, schema: S): Promise<z.infer<S>> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  const json: unknown = JSON.parse(text);
  const parsed = schema.safeParse(json);
  expect(parsed.success, `${text}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  // Nothing stripped: every field the route sends is in the contract.
  expect(parsed.data, 'a field of the answer is not in core/api').toEqual(json);
  return parsed.data as z.infer<S>;
}

async function refused(res: Response | Promise<Response>, code: ApiErrorCode, schema: z.ZodType = ErrorBodySchema) {
  const r = await res;
  const text = await r.text();
  const json: unknown = JSON.parse(text);
  const envelope = ErrorBodySchema.safeParse(json);
  expect(envelope.success, `not an error body (${r.status}): ${text}`).toBe(true);
  const body = envelope.data!;
  expect(body.error.code, text).toBe(code);
  expect(r.status, text).toBe(API_ERRORS[code].status);
  if (API_ERRORS[code].retryable && r.headers.has('retry-after')) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(schema.parse(json)).toEqual(json);
  return json;
}

async function noContent(res: Response | Promise<Response>) {
  const r = await res;
  expect(r.status, await r.clone().text()).toBe(204);
}

/** A Hono app as app.ts mounts the routes: request log (request ids), client address, the one error mapping. */
function mount(routes: (app: Hono<AppEnv>) => void) {
  const app = new Hono<AppEnv>();
  app.use('*', requestLog(pino({ level: 'silent' })));
  app.use('*', async (c, next) => {
    c.set('clientAddress', '203.0.113.7');
    await next();
  });
  app.onError((err, c) => errorResponse(err, c));
  routes(app);
  return app;
}

type Call = { cookie?: string; body?: unknown; raw?: string; headers?: Record<string, string> };
const caller =
  (app: Hono<AppEnv>) =>
  (method: string, url: string, { cookie, body, raw, headers = {} }: Call = {}) => {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    // As a browser sends it (routes/spotify.ts reads a play body only when one is announced).
    const typed: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    return app.request(url, { method, headers: { ...(cookie ? { cookie } : {}), ...typed, ...headers }, body: payload });
  };

const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------

describe('the sync routes speak the contract', () => {
  it('push, pull and chunks answers parse with the shared schemas; errors carry the envelope and a catalog code', async () => {
    const server = createMemorySyncApp();
    const cookie = await server.signIn('member1');
    const call = caller(server.app as Hono<AppEnv>);
    const session = liveSession({ startedAt: Date.now() - 3_600_000, deviceId: 'phone-a1' });
    await ok(call('POST', '/api/v1/sync/push', { cookie, body: pushBody('phone-a1', [upsert(session)]) }), 200, PushResponseSchema);
    await ok(call('GET', '/api/v1/sync/pull?protocol=1&deviceId=phone-b2', { cookie }), 200, PullResponseSchema);
    await ok(call('GET', `/api/v1/sync/sessions/${session.id}/chunks?protocol=1&deviceId=phone-b2`, { cookie }), 200, SessionChunksResponseSchema);

    await refused(call('POST', '/api/v1/sync/push', { cookie, body: { protocol: 1, deviceId: 'phone-a1', mutations: 'no' } }), 'invalid_request');
    await refused(call('POST', '/api/v1/sync/push', { cookie, raw: '{' }), 'invalid_request');
    await refused(call('POST', '/api/v1/sync/push', { cookie, body: { protocol: 99, deviceId: 'phone-a1', mutations: [] } }), 'unsupported_protocol');
    await refused(call('GET', '/api/v1/sync/pull?protocol=1&deviceId=phone-a1&cursor=garbage', { cookie }), 'stale_cursor');
    await refused(call('GET', `/api/v1/sync/sessions/${crypto.randomUUID()}/chunks?protocol=1&deviceId=phone-b2`, { cookie }), 'not_found');
    await refused(call('GET', '/api/v1/sync/pull?protocol=1&deviceId=phone-a1'), 'unauthenticated');
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * The account routes over the in-memory stores (memory-account-store.ts plays PocketBase's
 * `users`; tests/integration/auth.test.ts proves the PocketBase side).
 */
function accountWorld(opts: { perAddressPerMinute?: number } = {}) {
  const now = Date.now;
  const accounts = createMemoryAccountStore({ onErase: (id) => sessionStore.deleteForUser(id) });
  const sessionStore = createMemorySessionStore(now, (id) => accounts.members.get(id) ?? null);
  const sessions = createSessions(sessionStore, { idleMs: 30 * DAY, maxMs: 90 * DAY });
  const throttle = createThrottle(createMemoryLimiter(), { perAddressPerMinute: opts.perAddressPerMinute ?? 100, lockThreshold: 3, lockWindowMs: 15 * 60_000 });
  const byEmail = (email: string) => [...accounts.members.values()].find((m) => m.email === email);
  const deps: AuthDeps = {
    accounts: accounts.store,
    sessions,
    throttle,
    passwords: createPasswordPolicy(),
    now,
    secureCookies: () => false,
    sessionIdleMs: 30 * DAY,
    timingFloorMs: 0,
  };
  const app = mount((a) => {
    a.route('/api/v1/auth', authRoutes(deps));
    a.route('/api/v1/me', meRoutes(deps));
  });
  const call = caller(app);
  const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { accounts, call, cookieOf, byEmail };
}

const GOOD_PASSWORD = 'violet tandem kettle harbour';

describe('the auth routes speak the contract', () => {
  it('register, sign-in, device sessions, password reset, sign-out', async () => {
    const w = accountWorld();
    const registration = { email: 'Ann@Example.com', password: GOOD_PASSWORD, name: 'Ann' };
    await ok(w.call('POST', '/api/v1/auth/register', { body: registration }), 202, AcceptedSchema);
    // A taken address answers exactly the same.
    await ok(w.call('POST', '/api/v1/auth/register', { body: registration }), 202, AcceptedSchema);

    const login = await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: GOOD_PASSWORD, deviceName: 'Phone' } });
    const cookie = w.cookieOf(login.clone());
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const { user } = await ok(login, 200, LoginResponseSchema);
    expect(user).toMatchObject({ email: 'ann@example.com', name: 'Ann', verified: false });

    const { sessions } = await ok(w.call('GET', '/api/v1/auth/sessions', { cookie }), 200, DeviceSessionsResponseSchema);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ deviceName: 'Phone', current: true });

    await ok(w.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'ann@example.com' } }), 202, AcceptedSchema);
    await ok(w.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'nobody@example.com' } }), 202, AcceptedSchema);
    const token = w.accounts.outbox.find((m) => m.kind === 'reset')!.token!;
    await noContent(w.call('POST', '/api/v1/auth/password/reset', { body: { token, password: `${GOOD_PASSWORD} two` } }));

    const again = await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: `${GOOD_PASSWORD} two` } });
    const cookie2 = w.cookieOf(again.clone());
    await ok(again, 200, LoginResponseSchema);
    const [other] = (await ok(w.call('GET', '/api/v1/auth/sessions', { cookie: cookie2 }), 200, DeviceSessionsResponseSchema)).sessions;
    await noContent(w.call('DELETE', `/api/v1/auth/sessions/${other!.id}`, { cookie: cookie2 }));
    const third = w.cookieOf(await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: `${GOOD_PASSWORD} two` } }));
    await noContent(w.call('POST', '/api/v1/auth/sessions/revoke-all', { cookie: third }));
    // Verification: a mail is asked for (202), the link confirms (the memory store's token), a
    // wrong token is a catalog refusal.
    const fourth = w.cookieOf(await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: `${GOOD_PASSWORD} two` } }));
    await ok(w.call('POST', '/api/v1/auth/verify/request', { cookie: fourth }), 202, AcceptedSchema);
    expect(w.accounts.outbox.some((m) => m.kind === 'verify' && m.email === 'ann@example.com')).toBe(true);
    const ann = w.byEmail('ann@example.com')!;
    await ok(w.call('POST', '/api/v1/auth/verify/confirm', { body: { token: `verify:${ann.id}` } }), 200, VerifyResponseSchema);
    expect(w.byEmail('ann@example.com')?.verified).toBe(true);
    const wrong = await w.call('POST', '/api/v1/auth/verify/confirm', { body: { token: 'verify:nobody' } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
    await noContent(w.call('POST', '/api/v1/auth/logout', { cookie: third }));
  });

  it('every refusal is a catalog code at its status', async () => {
    const w = accountWorld();
    await refused(w.call('POST', '/api/v1/auth/register', { raw: '{nope' }), 'invalid_json');
    await refused(w.call('POST', '/api/v1/auth/register', { body: { email: 'ann@example.com', password: GOOD_PASSWORD } }), 'invalid_body');
    await refused(w.call('POST', '/api/v1/auth/register', { body: { email: 'ann@example.com', password: 'password', name: 'Ann' } }), 'weak_password');
    await refused(w.call('POST', '/api/v1/auth/register', { body: { email: 'ann@example.com', password: 'é'.repeat(60), name: 'Ann' } }), 'password_too_long');
    await refused(w.call('POST', '/api/v1/auth/password/reset', { body: { token: 'reset:nobody-at-all', password: GOOD_PASSWORD } }), 'invalid_token');
    await refused(w.call('POST', '/api/v1/auth/password/reset', { body: { token: 'reset:nobody-at-all', password: 'password' } }), 'weak_password');
    await refused(w.call('GET', '/api/v1/auth/sessions'), 'unauthenticated');

    await ok(w.call('POST', '/api/v1/auth/register', { body: { email: 'ann@example.com', password: GOOD_PASSWORD, name: 'Ann' } }), 202, AcceptedSchema);
    const cookie = w.cookieOf(await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: GOOD_PASSWORD } }));
    await refused(w.call('DELETE', '/api/v1/auth/sessions/not-an-id', { cookie }), 'not_found');
    await refused(w.call('DELETE', `/api/v1/auth/sessions/${'a'.repeat(15)}`, { cookie }), 'not_found');
    for (let i = 0; i < 3; i++) await refused(w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: 'wrong wrong wrong' } }), 'invalid_credentials');
    // The account's budget (3 checks) is spent: locked, with Retry-After.
    await refused(w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: GOOD_PASSWORD } }), 'account_locked');

    const busy = accountWorld({ perAddressPerMinute: 1 });
    await ok(busy.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'a@example.com' } }), 202, AcceptedSchema);
    await refused(busy.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'a@example.com' } }), 'rate_limited');
  });
});

describe('the /me routes speak the contract', () => {
  it('read, rename and delete answer MeResponseSchema / 204; refusals are catalog codes', async () => {
    const w = accountWorld();
    await ok(w.call('POST', '/api/v1/auth/register', { body: { email: 'ann@example.com', password: GOOD_PASSWORD, name: 'Ann' } }), 202, AcceptedSchema);
    const cookie = w.cookieOf(await w.call('POST', '/api/v1/auth/login', { body: { email: 'ann@example.com', password: GOOD_PASSWORD } }));
    expect(await ok(w.call('GET', '/api/v1/me', { cookie }), 200, MeResponseSchema)).toMatchObject({ email: 'ann@example.com', name: 'Ann' });
    expect((await ok(w.call('PATCH', '/api/v1/me', { cookie, body: { name: '  Ann L. ' } }), 200, MeResponseSchema)).name).toBe('Ann L.');
    await refused(w.call('PATCH', '/api/v1/me', { cookie, body: { name: '' } }), 'invalid_body');
    await refused(w.call('PATCH', '/api/v1/me', { cookie, body: { name: 'A', email: 'x@example.com' } }), 'invalid_body');
    await refused(w.call('DELETE', '/api/v1/me', { cookie, body: { password: 'wrong wrong wrong' } }), 'invalid_credentials');
    await noContent(w.call('DELETE', '/api/v1/me', { cookie, body: { password: GOOD_PASSWORD } }));
    await refused(w.call('GET', '/api/v1/me', { cookie }), 'unauthenticated');
  });

  it('too many wrong passwords lock deletion (account_locked)', async () => {
    const w = accountWorld();
    await ok(w.call('POST', '/api/v1/auth/register', { body: { email: 'bo@example.com', password: GOOD_PASSWORD, name: 'Bo' } }), 202, AcceptedSchema);
    const cookie = w.cookieOf(await w.call('POST', '/api/v1/auth/login', { body: { email: 'bo@example.com', password: GOOD_PASSWORD } }));
    for (let i = 0; i < 3; i++) await refused(w.call('DELETE', '/api/v1/me', { cookie, body: { password: `wrong ${i} wrong wrong` } }), 'invalid_credentials');
    await refused(w.call('DELETE', '/api/v1/me', { cookie, body: { password: GOOD_PASSWORD } }), 'account_locked');
  });
});

// ---------------------------------------------------------------------------------------------

/** The real Spotify feature over the in-memory stores, a manual clock and a scripted Spotify (spotify/feature-fixture.ts). */
function spotifyWorld() {
  const tracks = createMemoryAnnotateStore();
  const fx = spotifyFixture({ tracks: tracks.store });
  return {
    feature: fx.feature as SpotifyService,
    clock: fx.clock,
    tracks,
    onApi: fx.onApi,
    /** Gives `memberId` a Spotify grant (as a finished connect would). */
    connect: (memberId: string) =>
      fx.feature.store.replace(memberId, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: fx.clock.t + 3_600_000, scopes: 'user-read-playback-state', authorizedAt: fx.clock.t }, fx.clock.t),
  };
}

/** Sessions whose members are `members` (rooms' memory store plays PocketBase's users alongside). */
function sessionsOf(now: () => number, members: Map<string, SessionMember>) {
  const sessions = createSessions(createMemorySessionStore(now, (id) => members.get(id) ?? null), { idleMs: 30 * DAY, maxMs: 90 * DAY });
  const signIn = async (id: string) => `${SESSION_COOKIE}=${(await sessions.issue(id, 'Phone', now())).token}`;
  return { sessions, signIn };
}

const device = (id: string, active: boolean, volume: number | null = 40) => ({ id, name: `Device ${id}`, type: 'Speaker', is_active: active, is_restricted: false, volume_percent: volume, supports_volume: volume !== null });

describe('the spotify routes speak the contract', () => {
  it('without Spotify set up: status says so, the rest is spotify_not_configured', async () => {
    const members = new Map<string, SessionMember>([['m00000000000001', { id: 'm00000000000001', email: 'a@example.com', name: 'A', verified: true }]]);
    const { sessions, signIn } = sessionsOf(Date.now, members);
    const call = caller(mount((a) => a.route('/api/v1/spotify', spotifyRoutes({ sessions, now: Date.now } as unknown as AuthDeps, null))));
    expect(await ok(call('GET', '/api/v1/spotify/status'), 200, SpotifyStatusSchema)).toEqual({ configured: false });
    await refused(call('GET', '/api/v1/spotify/devices', { cookie: await signIn('m00000000000001') }), 'spotify_not_configured');
  });

  it('status in every state, now playing, devices, player commands, search, tracks, power songs, disconnect', async () => {
    const s = spotifyWorld();
    const now = () => s.clock.t;
    const members = new Map<string, SessionMember>();
    for (const id of ['m00000000000001', 'm00000000000002']) members.set(id, { id, email: `${id}@example.com`, name: id, verified: true });
    const { sessions, signIn } = sessionsOf(now, members);
    const call = caller(mount((a) => a.route('/api/v1/spotify', spotifyRoutes({ sessions, now } as unknown as AuthDeps, s.feature))));
    const cookie = await signIn('m00000000000001');
    const stranger = await signIn('m00000000000002');

    // Not connected.
    expect(await ok(call('GET', '/api/v1/spotify/status', { cookie }), 200, SpotifyStatusSchema)).toMatchObject({ state: 'not_connected', connected: false });
    await refused(call('GET', '/api/v1/spotify/devices', { cookie }), 'spotify_not_connected');
    await refused(call('GET', '/api/v1/spotify/status'), 'unauthenticated');

    await s.connect('m00000000000001');
    expect(await ok(call('GET', '/api/v1/spotify/status', { cookie }), 200, SpotifyStatusSchema)).toMatchObject({ state: 'connected', connected: true });

    s.onApi((method, p) => {
      if (p.startsWith('/v1/me/player/currently-playing')) return answer(200, playing('t1'));
      if (p.startsWith('/v1/me/player/devices')) return answer(200, { devices: [device('d1', true), device('d2', false, null)] });
      if (p.startsWith('/v1/search')) {
        return answer(200, { playlists: { items: [null, { id: 'p1', uri: 'spotify:playlist:p1', name: 'Spin', owner: { display_name: 'Olga' }, images: [{ url: 'https://i.invalid/1' }], tracks: { total: 12 } }] } });
      }
      return answer(method === 'GET' ? 200 : 204, {});
    });
    const np = await ok(call('GET', '/api/v1/spotify/now-playing', { cookie }), 200, NowPlayingSchema);
    expect(np).toMatchObject({ type: 'track', isPlaying: true, stale: false });
    expect((await ok(call('GET', '/api/v1/spotify/devices', { cookie }), 200, SpotifyDevicesResponseSchema)).devices).toHaveLength(2);
    for (const command of ['pause', 'next', 'previous']) await ok(call('POST', `/api/v1/spotify/player/${command}`, { cookie }), 200, SpotifyOkSchema);
    await ok(call('POST', '/api/v1/spotify/player/play', { cookie }), 200, SpotifyOkSchema);
    await ok(call('POST', '/api/v1/spotify/player/play', { cookie, body: { contextUri: 'spotify:playlist:p1' } }), 200, SpotifyOkSchema);
    expect(await ok(call('PUT', '/api/v1/spotify/player/volume', { cookie, body: { percent: 30 } }), 200, SpotifyOkSchema)).toEqual({ ok: true, volume: 30 });
    expect(await ok(call('POST', '/api/v1/spotify/player/mute', { cookie }), 200, SpotifyOkSchema)).toEqual({ ok: true, previousVolume: 40 });
    expect(await ok(call('POST', '/api/v1/spotify/player/unmute', { cookie }), 200, SpotifyOkSchema)).toEqual({ ok: true, volume: 40 });
    await ok(call('POST', '/api/v1/spotify/player/transfer', { cookie, body: { deviceId: 'd2', play: true } }), 200, SpotifyOkSchema);
    const { playlists } = await ok(call('GET', '/api/v1/spotify/search/playlists?q=spin', { cookie }), 200, SpotifyPlaylistsResponseSchema);
    expect(playlists).toEqual([{ id: 'p1', uri: 'spotify:playlist:p1', name: 'Spin', owner: 'Olga', imageUrl: 'https://i.invalid/1', trackCount: 12 }]);

    // A synced workout with one matched track (as the tracks job stores it), and one not finished.
    const sessionId = crypto.randomUUID();
    const startedAt = s.clock.t - 3_600_000;
    s.tracks.seedSession('m00000000000001', sessionId, liveRecord(sessionId, startedAt, startedAt + 1_800_000), 1);
    await s.tracks.store.ensureJob('m00000000000001', sessionId, s.clock.t);
    const play = { trackId: 't1', uri: 'spotify:track:t1', name: 'Track t1', artists: ['A'], album: 'B', albumArtUrl: null, durationMs: 200_000, playedAt: startedAt + 600_000 };
    await s.tracks.store.saveTracks('m00000000000001', sessionId, [{ ...play, startAt: play.playedAt - play.durationMs, fromMs: play.playedAt - play.durationMs, toMs: play.playedAt, hr: { avgBpm: 150, peakBpm: 171, samples: 200 } }]);
    const tracks = await ok(call('GET', `/api/v1/spotify/sessions/${sessionId}/tracks`, { cookie }), 200, SessionTracksSchema);
    expect(tracks.tracks).toHaveLength(1);
    const unfinished = crypto.randomUUID();
    s.tracks.seedSession('m00000000000001', unfinished, liveRecord(unfinished, startedAt, null), 2);
    expect((await ok(call('GET', `/api/v1/spotify/sessions/${unfinished}/tracks`, { cookie }), 200, SessionTracksSchema)).state).toBe('unfinished');
    expect((await ok(call('GET', '/api/v1/spotify/power-songs', { cookie }), 200, PowerSongsResponseSchema)).songs).toHaveLength(1);

    // Refusals at the edge.
    await refused(call('GET', `/api/v1/spotify/sessions/${sessionId}/tracks`, { cookie: stranger }), 'not_found');
    await refused(call('GET', '/api/v1/spotify/sessions/not-a-uuid/tracks', { cookie }), 'not_found');
    await refused(call('GET', '/api/v1/spotify/search/playlists?q=', { cookie }), 'invalid_query');
    await refused(call('PUT', '/api/v1/spotify/player/volume', { cookie, body: { percent: 101 } }), 'invalid_body');
    await refused(call('POST', '/api/v1/spotify/player/play', { cookie, body: { contextUri: 'spotify:track:x' } }), 'invalid_body');
    await refused(call('POST', '/api/v1/spotify/player/transfer', { cookie, raw: 'no' }), 'invalid_json');

    // Spotify failing: a retryable error now, and the status says "unavailable" with a retry time.
    s.clock.t += 60_000;
    s.onApi(() => answer(503, {}));
    await refused(call('GET', '/api/v1/spotify/devices', { cookie }), 'spotify_unavailable');
    const status = await ok(call('GET', '/api/v1/spotify/status', { cookie }), 200, SpotifyStatusSchema);
    expect(status).toMatchObject({ state: 'unavailable', unavailable: true });
    expect(status.retryAfterSec).toBeGreaterThan(0);
    s.onApi(() => answer(403, { error: { status: 403, message: 'Player command failed: Premium required', reason: 'PREMIUM_REQUIRED' } }));
    await refused(call('POST', '/api/v1/spotify/player/next', { cookie }), 'spotify_premium_required');

    await ok(call('POST', '/api/v1/spotify/disconnect', { cookie }), 200, SpotifyDisconnectResponseSchema);
    expect(await ok(call('GET', '/api/v1/spotify/status', { cookie }), 200, SpotifyStatusSchema)).toMatchObject({ state: 'not_connected' });
  });
});

// ---------------------------------------------------------------------------------------------

/** Class mode's real routes over the memory room, timer, limiter and bus stores; the room's music is the memory Spotify feature. */
function roomsWorld() {
  const s = spotifyWorld();
  const now = () => s.clock.t;
  const store = createMemoryRoomStore({ now });
  const members = new Map<string, SessionMember>();
  const member = (name: string, verified = true) => {
    const id = store.newId();
    const m = { id, name, email: `${name.toLowerCase()}@example.com`, verified };
    members.set(id, m);
    store.addMember(m);
    return id;
  };
  const bus = createMemoryBus({ memoTtlMs: 60_000, now });
  const limits = { codeAttemptsPerDevice: 3, joinsPerAddress: 50, joinsPerRoom: 60, pairingAttemptsPerAddress: 5, invitationsPerOwnerPerHour: 10 };
  const service = createRoomService({ store, timers: createMemoryTimerStore(), bus, limiter: createMemoryLimiter(), now, limits, pairingTtlMs: 600_000 });
  const logger = pino({ level: 'silent' });
  const hub = createLiveHub({ service, store, bus, authenticateSession: async () => null, config: { staleMs: 15_000, goneMs: 120_000, hrMinIntervalMs: 750 }, now, logger });
  const music = createRoomMusic({ service, store, spotify: s.feature });
  const results = createClassResults({ rooms: service, results: createMemoryResultStore(), now });
  const { sessions, signIn } = sessionsOf(now, members);
  const app = mount((a) => a.route('/api/v1/rooms', roomsRoutes({ sessions, now } as unknown as AuthDeps, { service, store, hub, music, results, ownOrigin: () => 'http://localhost' })));
  return { s, member, signIn, call: caller(app) };
}

describe('the rooms routes speak the contract', () => {
  it('rooms, co-coach invitations, displays, joining, participants, the timer and the music', async () => {
    const w = roomsWorld();
    const owner = w.member('Olga');
    const cora = w.member('Cora');
    const dave = w.member('Dave');
    const unverified = w.member('Uma', false);
    const o = await w.signIn(owner);
    const c = await w.signIn(cora);
    const d = await w.signIn(dave);
    const u = await w.signIn(unverified);
    const call = w.call;

    const created = await ok(call('POST', '/api/v1/rooms', { cookie: o, body: { name: 'Spin', plan: tabataPlan(4) } }), 201, RoomWithTimerSchema);
    const id = created.room.id;
    const r = `/api/v1/rooms/${id}`;
    expect((await ok(call('GET', '/api/v1/rooms', { cookie: o }), 200, RoomsResponseSchema)).rooms).toHaveLength(1);
    await ok(call('GET', r, { cookie: o }), 200, RoomDetailSchema);
    await ok(call('PATCH', r, { cookie: o, body: { name: 'Spin 2' } }), 200, RoomOnlySchema);
    const { room } = await ok(call('POST', `${r}/join-code`, { cookie: o }), 200, RoomOnlySchema);

    // Co-coach invitations: invite, list, the invitee's view, accept / decline / withdraw.
    for (const email of ['cora@example.com', 'dave@example.com', 'erin@example.com', 'uma@example.com']) {
      await ok(call('POST', `${r}/co-coaches`, { cookie: o, body: { email } }), 202, CoCoachInvitedSchema);
    }
    const { invitations } = await ok(call('GET', `${r}/invitations`, { cookie: o }), 200, RoomInvitationsResponseSchema);
    expect(invitations).toHaveLength(4);
    const mine = await ok(call('GET', '/api/v1/rooms/invitations', { cookie: c }), 200, MyInvitationsSchema);
    expect(mine).toMatchObject({ emailVerified: true, invitations: [{ room: { id }, invitedBy: 'Olga' }] });
    expect(await ok(call('GET', '/api/v1/rooms/invitations', { cookie: u }), 200, MyInvitationsSchema)).toEqual({ emailVerified: false, invitations: [] });
    await refused(call('POST', `/api/v1/rooms/invitations/${invitations.find((i) => i.email === 'uma@example.com')!.id}/accept`, { cookie: u }), 'forbidden');
    const accepted = await ok(call('POST', `/api/v1/rooms/invitations/${mine.invitations[0]!.id}/accept`, { cookie: c }), 200, RoomOnlySchema);
    expect(accepted.room.coCoaches).toEqual([{ id: cora, name: 'Cora' }]);
    const daves = await ok(call('GET', '/api/v1/rooms/invitations', { cookie: d }), 200, MyInvitationsSchema);
    await noContent(call('POST', `/api/v1/rooms/invitations/${daves.invitations[0]!.id}/decline`, { cookie: d }));
    await noContent(call('DELETE', `${r}/invitations/${invitations.find((i) => i.email === 'erin@example.com')!.id}`, { cookie: o }));
    await refused(call('POST', `/api/v1/rooms/invitations/${daves.invitations[0]!.id}/accept`, { cookie: d }), 'not_found');
    await refused(call('POST', '/api/v1/rooms/invitations/not-an-id/accept', { cookie: d }), 'not_found');
    await refused(call('POST', `${r}/co-coaches`, { cookie: c, body: { email: 'x@example.com' } }), 'forbidden');
    await refused(call('POST', `${r}/co-coaches`, { cookie: o, body: { email: 'not an address' } }), 'invalid_body');

    // A co-coach runs the room like the owner.
    await ok(call('GET', r, { cookie: c }), 200, RoomDetailSchema);

    // Displays and pairing.
    const display = await ok(call('POST', `${r}/displays`, { cookie: o, body: { name: 'Front' } }), 201, CreatedDisplaySchema);
    expect((await ok(call('GET', `${r}/displays`, { cookie: c }), 200, RoomDisplaysResponseSchema)).displays).toHaveLength(1);
    const paired = await ok(call('POST', '/api/v1/rooms/pair', { body: { code: display.pairingCode } }), 200, PairedSchema);
    expect(paired).toMatchObject({ roomId: id, displayId: display.display.id });
    await refused(call('POST', '/api/v1/rooms/pair', { body: { code: 'WRONGCODE' } }), 'not_found');

    // Joining: a guest, then the participant list; wrong codes run into the device's limit.
    const joined = await ok(call('POST', '/api/v1/rooms/join', { body: { code: room.joinCode, deviceId: 'guest-phone-1', name: 'Gail', age: 34 } }), 201, JoinedSchema);
    await ok(call('POST', '/api/v1/rooms/join', { cookie: d, body: { code: room.joinCode, deviceId: 'dave-phone-1' } }), 201, JoinedSchema);
    expect((await ok(call('GET', `${r}/participants`, { cookie: o }), 200, RoomParticipantsResponseSchema)).participants).toHaveLength(2);
    await refused(call('POST', '/api/v1/rooms/join', { body: { code: 'ZZZZ2222', deviceId: 'typo-phone-1' } }), 'not_found');
    await refused(call('POST', '/api/v1/rooms/join', { body: { code: 'ZZZZ2222', deviceId: 'typo-phone-1' } }), 'not_found');
    await refused(call('POST', '/api/v1/rooms/join', { body: { code: 'ZZZZ2222', deviceId: 'typo-phone-1' } }), 'not_found');
    await refused(call('POST', '/api/v1/rooms/join', { body: { code: 'ZZZZ2222', deviceId: 'typo-phone-1' } }), 'rate_limited');
    await refused(call('POST', '/api/v1/rooms/join', { body: { code: room.joinCode, deviceId: 'short' } }), 'invalid_body');

    // The timer: reads, a command, a stale revision (conflict) and a refused command, both with the state.
    const t0 = await ok(call('GET', `${r}/timer`, { cookie: o }), 200, TimerReplySchema);
    const started = await ok(call('POST', `${r}/timer`, { cookie: c, body: { command: 'start', ifRevision: t0.state.revision } }), 200, TimerReplySchema);
    const stale = await refused(call('POST', `${r}/timer`, { cookie: o, body: { command: 'pause', ifRevision: t0.state.revision } }), 'conflict', TimerRefusedSchema);
    expect(TimerRefusedSchema.parse(stale).state.revision).toBe(started.state.revision);
    await refused(call('POST', `${r}/timer`, { cookie: o, body: { command: 'resume' } }), 'timer_rejected', TimerRefusedSchema);
    await refused(call('POST', `${r}/timer`, { cookie: o, body: { command: 'start', plan: tabataPlan(2) } }), 'invalid_body');
    await ok(call('POST', `${r}/timer`, { cookie: o, body: { command: 'change-plan', plan: tabataPlan(2) } }), 200, TimerReplySchema);

    // Results: the participant's phone posts its result of the run; coaches read the report.
    const result = { runStartedAt: started.state.startedAt!, points: 21, bandMs: [0, 60_000, 60_000, 120_000, 60_000], avgBpm: 141, peakBpm: 178, kcal: 88.5, activeMs: 300_000 };
    const posted = await ok(call('POST', `${r}/results`, { headers: { authorization: `Bearer ${joined.token}` }, body: result }), 200, ResultPostedSchema);
    expect(posted.claimToken).toMatch(/^[a-z0-9]{15}\.\d+\.[A-Za-z0-9_-]{43}$/); // a guest's: a link to keep it
    await refused(call('POST', `${r}/results`, { headers: { authorization: 'Bearer not-a-participant-token' }, body: result }), 'unauthenticated');
    await refused(call('POST', `${r}/results`, { headers: { authorization: `Bearer ${joined.token}` }, body: { ...result, points: -3 } }), 'invalid_body');
    await refused(call('POST', `${r}/results`, { headers: { authorization: `Bearer ${joined.token}` }, body: { ...result, runStartedAt: 1 } }), 'invalid_body');
    const report = await ok(call('GET', `${r}/report`, { cookie: c }), 200, RoomReportSchema);
    const { runStartedAt: _run, ...figures } = result;
    expect(report.classes).toEqual([
      { runStartedAt: result.runStartedAt, attendance: 1, averages: { points: 21, avgBpm: 141 }, participants: [{ participantId: joined.participant.id, name: 'Gail', member: false, ...figures }] },
    ]);
    const csv = await call('GET', `${r}/report.csv`, { cookie: o });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[1]).toBe(`${new Date(result.runStartedAt).toISOString()},Spin 2,Gail,no,21,141,178,88.5,300,0,60,60,120,60`);
    await refused(call('GET', `${r}/report`, { cookie: d }), 'not_found');
    // Gail signs up later (here: Dave's account) and claims her result with the link; once only.
    await refused(call('POST', '/api/v1/rooms/results/claim', { body: { token: posted.claimToken } }), 'unauthenticated');
    await refused(call('POST', '/api/v1/rooms/results/claim', { cookie: d, body: { token: `${posted.claimToken!.slice(0, -4)}AAAA` } }), 'not_found');
    expect(await ok(call('POST', '/api/v1/rooms/results/claim', { cookie: d, body: { token: posted.claimToken } }), 200, ClaimedResultSchema)).toEqual({ runStartedAt: result.runStartedAt, name: 'Gail', points: 21 });
    await ok(call('POST', '/api/v1/rooms/results/claim', { cookie: d, body: { token: posted.claimToken } }), 200, ClaimedResultSchema);
    await refused(call('POST', '/api/v1/rooms/results/claim', { cookie: c, body: { token: posted.claimToken } }), 'conflict');
    expect((await ok(call('GET', `${r}/report`, { cookie: o }), 200, RoomReportSchema)).classes[0]!.participants[0]!.member).toBe(true);
    await refused(call('GET', `${r}/report`), 'unauthenticated');

    // The room's music: the owner's Spotify, for a coach and for the display (its token).
    await refused(call('GET', `${r}/music`, { cookie: c }), 'spotify_not_connected');
    await w.s.connect(owner);
    w.s.onApi((method, p) =>
      method === 'GET' && p.startsWith('/v1/me/player') ? answer(200, { ...playing('t9'), device: device('d1', true) }) : answer(204),
    );
    const music = await ok(call('GET', `${r}/music`, { cookie: c }), 200, RoomMusicResponseSchema);
    expect(music).toMatchObject({ type: 'track', device: { name: 'Device d1' } });
    await ok(call('GET', `${r}/music`, { headers: { authorization: `Bearer ${paired.token}` } }), 200, RoomMusicResponseSchema);
    await refused(call('GET', `${r}/music`, { headers: { authorization: 'Bearer not-the-token-of-any-display' } }), 'not_found');
    await refused(call('GET', `${r}/music`), 'unauthenticated');
    await ok(call('POST', `${r}/music/pause`, { cookie: c }), 200, RoomOkSchema);
    expect(await ok(call('PUT', `${r}/music/volume`, { cookie: o, body: { percent: 55 } }), 200, RoomVolumeReplySchema)).toEqual({ ok: true, volume: 55 });
    await refused(call('POST', `${r}/music/louder`, { cookie: o }), 'not_found');

    // Leaving, removing, revoking, the live endpoint without an upgrade, and the owner-only rules.
    await noContent(call('POST', `${r}/leave`, { headers: { authorization: `Bearer ${joined.token}` } }));
    const [left] = (await ok(call('GET', `${r}/participants`, { cookie: o }), 200, RoomParticipantsResponseSchema)).participants;
    await noContent(call('DELETE', `${r}/participants/${left!.id}`, { cookie: o }));
    await refused(call('DELETE', `${r}/participants/not-an-id`, { cookie: o }), 'not_found');
    await noContent(call('DELETE', `${r}/displays/${display.display.id}`, { cookie: o }));
    await refused(call('GET', `${r}/live`), 'upgrade_required');
    await refused(call('DELETE', r, { cookie: c }), 'forbidden');
    expect((await ok(call('DELETE', `${r}/co-coaches/${cora}`, { cookie: o }), 200, RoomOnlySchema)).room.coCoaches).toEqual([]);
    await refused(call('GET', r, { cookie: c }), 'not_found');
    await refused(call('GET', '/api/v1/rooms'), 'unauthenticated');
    await refused(call('POST', '/api/v1/rooms', { cookie: o, raw: '{' }), 'invalid_json');
    await noContent(call('DELETE', r, { cookie: o }));
    await refused(call('GET', r, { cookie: o }), 'not_found');
  });
});
