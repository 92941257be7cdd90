import PocketBase from 'pocketbase';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  adminClient,
  allTokens,
  calls,
  connect,
  connected,
  expireNowPlaying,
  leaks,
  recordingClient,
  seen,
  sleep,
  startEmulator,
  startSpotifyServer,
  statusCount,
  timePasses,
  tokenCalls,
  type Emulator,
} from './spotify-support';

// The refresh engine against spotify-emulator.md §2.7 scenarios 1, 3–7 and 12, and a server
// killed between the token endpoint's answer and its save.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NP = '/api/v1/spotify/now-playing';
const CP = 'GET /v1/me/player/currently-playing';

let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let admin: PocketBase;
const extraLogs: string[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
  admin = await adminClient(pb);
});

afterEach(async () => {
  await emu.ctl('/mode', { rotation: 'none-2026', graceMs: 0, tokenDelayMs: 0, unauthorizedText: '2026' });
  await emu.ctl('/faults', { clear: true });
  emu.setHook(null);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

describe('Spotify refresh engine', () => {
  it('1: 50 concurrent now-playing requests with an expired token, strict rotation, slow token endpoint → one refresh', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/mode', { rotation: 'strict', graceMs: 0, tokenDelayMs: 1500 });
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    const replies = await Promise.all(Array.from({ length: 50 }, () => m.c.get(NP)));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(replies.every((r) => r.body.type === 'track')).toBe(true);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    const tokens = await emu.ctl(`/tokens?user=${m.spotifyUser}`);
    expect(tokens.counts.refreshTokens).toEqual({ rotated: 1, active: 1 });
    expect((await admin.collection('spotify_grants').getOne(m.memberId)).version).toBe(2);
  });

  it('1b: 50 concurrent uncached calls (devices) with an expired token under strict rotation → one refresh', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/mode', { rotation: 'strict', graceMs: 0, tokenDelayMs: 1500 });
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    const replies = await Promise.all(Array.from({ length: 50 }, () => m.c.get('/api/v1/spotify/devices')));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(replies[0]!.body.devices).toHaveLength(2);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    expect(await calls(emu, m.spotifyUser, 'GET /v1/me/player/devices')).toBe(50);
    expect((await emu.ctl(`/tokens?user=${m.spotifyUser}`)).counts.refreshTokens).toEqual({ rotated: 1, active: 1 });
  });

  it('3: token endpoint 503 with a non-JSON body, then 200 → the member stays connected', async () => {
    const m = await connected(server, emu);
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    await emu.ctl('/faults', { route: 'POST /api/token', sequence: [{ status: 503, body: 'html' }] });
    const first = await m.c.get(NP);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('spotify_unavailable');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const during = (await m.c.get('/api/v1/spotify/status')).body;
    expect(during).toMatchObject({ connected: true, needsReconnect: false, consecutiveFailures: 1, lastFailure: { type: 'network' } });
    let ok = null;
    for (let i = 0; i < 40 && !ok; i++) {
      await sleep(250);
      const r = await m.c.get(NP);
      if (r.status === 200) ok = r;
    }
    expect(ok?.body.type).toBe('track');
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ connected: true, consecutiveFailures: 0 });
  });

  it('4: legacy-pkce, response lost after rotation → a controlled needs_reconnect, no loop', async () => {
    await emu.ctl('/mode', { rotation: 'legacy-pkce' });
    const m = await connected(server, emu);
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    await emu.ctl('/faults', { route: 'POST /api/token', sequence: [{ status: 'drop', consume: true }] });
    expect((await m.c.get(NP)).body.error.code).toBe('spotify_unavailable');
    let last = null;
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      last = await m.c.get(NP);
      if (last.status === 409) break;
    }
    expect(last!.body.error.code).toBe('spotify_needs_reconnect');
    for (let i = 0; i < 5; i++) await m.c.get(NP);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ status: 'needs_reconnect', needsReconnect: true });
  });

  it('5: invalid_grant → one token call, then no call at all; a fresh connect replaces the dead grant', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/revoke', { user: m.spotifyUser, accessTokens: 'keep' });
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    const r = await m.c.get(NP);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('spotify_needs_reconnect');
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    const total = await calls(emu, m.spotifyUser);
    for (let i = 0; i < 5; i++) {
      expect((await m.c.get(NP)).body.error.code).toBe('spotify_needs_reconnect');
      expect((await m.c.get('/api/v1/spotify/devices')).body.error.code).toBe('spotify_needs_reconnect');
      expect((await m.c.post('/api/v1/spotify/player/pause')).body.error.code).toBe('spotify_needs_reconnect');
    }
    expect(await calls(emu, m.spotifyUser)).toBe(total);
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ connected: false, status: 'needs_reconnect', needsReconnect: true, lastFailure: { type: 'auth' } });

    const back = await connect(m, emu);
    expect(back.search).toBe('?spotify=connected');
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ connected: true, status: 'ok', consecutiveFailures: 0, lastFailure: null });
    const again = await m.c.get(NP);
    expect(again.status).toBe(200);
    expect(again.body.type).toBe('track');
  });

  it('7: access token revoked mid-hour → one forced refresh → needs_reconnect, no retry storm', async () => {
    const m = await connected(server, emu);
    expect((await m.c.get(NP)).status).toBe(200);
    await emu.ctl('/revoke', { user: m.spotifyUser, accessTokens: 'kill' });
    await expireNowPlaying(admin, m.memberId);
    const unauthorized = await statusCount(emu, CP, 401);
    const replies = await Promise.all(Array.from({ length: 20 }, () => m.c.get(NP)));
    expect(new Set(replies.map((r) => r.body.error?.code))).toEqual(new Set(['spotify_needs_reconnect']));
    for (let i = 0; i < 3; i++) await m.c.get(NP);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    expect(await statusCount(emu, CP, 401)).toBe(unauthorized + 1);
    expect(await calls(emu, m.spotifyUser, CP)).toBe(1);
  });

  for (const text of ['legacy', '2026'] as const) {
    it(`12: a 401 with the ${text} message text → one forced refresh and one retry`, async () => {
      const m = await connected(server, emu);
      await emu.ctl('/mode', { unauthorizedText: text });
      // Only Spotify's clock moves: the server still believes its token is valid.
      await emu.ctl('/clock', { advanceMs: HOUR + 1000 });
      const unauthorized = await statusCount(emu, CP, 401);
      const r = await m.c.get(NP);
      expect(r.status).toBe(200);
      expect(r.body.type).toBe('track');
      expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
      expect(await statusCount(emu, CP, 401)).toBe(unauthorized + 1);
      expect(await calls(emu, m.spotifyUser, CP)).toBe(1);
    });
  }

  it('a server SIGKILLed after the token endpoint answered and before it saved → recovers without needs_reconnect', async () => {
    const victim = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
    const m = await connected(victim, emu);
    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    let killed = false;
    emu.setHook(async (req, respond) => {
      const isRefresh = new URL(req.url).pathname === '/accounts/api/token' && (await req.clone().text()).includes('grant_type=refresh_token');
      const res = await respond();
      if (isRefresh && res.status === 200 && !killed) {
        killed = true;
        // Freeze the server before the answer reaches it, let the answer go, then kill it.
        process.kill(victim.proc.pid!, 'SIGSTOP');
        setTimeout(() => process.kill(victim.proc.pid!, 'SIGKILL'), 200);
      }
      return res;
    });
    await m.c.get(NP).catch(() => null);
    await victim.exited;
    extraLogs.push(victim.logs());
    expect(killed).toBe(true);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    expect((await admin.collection('spotify_grants').getOne(m.memberId)).version).toBe(1);

    // The member's next request reaches another process sharing the same PocketBase.
    const other = recordingClient(server.url);
    for (const [k, v] of m.c.jar) other.jar.set(k, v);
    let ok = null;
    for (let i = 0; i < 80 && !ok; i++) {
      const r = await other.get(NP);
      if (r.status === 200) ok = r;
      else {
        expect(r.body.error.code).toBe('spotify_unavailable');
        await sleep(500);
      }
    }
    expect(ok?.body.type).toBe('track');
    expect((await other.get('/api/v1/spotify/status')).body).toMatchObject({ connected: true, needsReconnect: false });
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
  }, 90_000);

  it('6: the clock jumps 6 months − 7 days → consent expires soon; past 6 months → needs_reconnect', async () => {
    const m = await connected(server, emu);
    const row = await admin.collection('spotify_grants').getOne(m.memberId);
    const end = new Date(row.authorized_at);
    end.setUTCMonth(end.getUTCMonth() + 6);
    await timePasses(admin, emu, m.memberId, end.getTime() - row.authorized_at - 7 * DAY);
    const soon = (await m.c.get('/api/v1/spotify/status')).body;
    expect(soon).toMatchObject({ connected: true, consentExpiresSoon: true });
    expect(Date.parse(soon.consentExpiresAt) - Date.now()).toBeLessThan(14 * DAY);
    // The refresh token still works for a week.
    expect((await m.c.get(NP)).status).toBe(200);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    await timePasses(admin, emu, m.memberId, 8 * DAY);
    expect((await m.c.get(NP)).body.error.code).toBe('spotify_needs_reconnect');
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ needsReconnect: true, consentExpiresSoon: false });
  });

  it('no token appears in any response body, cookie or server log line', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(10);
    expect(leaks(tokens, [...seen, server.logs(), ...extraLogs])).toEqual([]);
  });
});
