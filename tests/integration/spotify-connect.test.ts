import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import {
  adminClient,
  allTokens,
  connect,
  connected,
  leaks,
  newSpotifyMember,
  seen,
  startEmulator,
  startSpotifyServer,
  tokenCalls,
  type Emulator,
} from './spotify-support';

// Connecting and disconnecting (spotify-emulator.md §2.7 scenario 14), storage at rest, and the
// feature switched off. The file ends by scanning everything the clients and logs saw for tokens.
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let plain: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  [server, plain] = await Promise.all([startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' }), startSyncServer({ pb })]);
  admin = await adminClient(pb);
});

afterAll(async () => {
  await Promise.all([server?.stop(), plain?.stop()]);
  await emu?.close();
  await pb?.dispose();
});

describe('Spotify connect', () => {
  it('without Spotify configured the app works and status says so', async () => {
    const c = client(plain.url);
    expect((await c.get('/api/v1/spotify/status')).body).toEqual({ configured: false });
    const m = newMember();
    await c.post('/api/v1/auth/register', m);
    expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    const np = await c.get('/api/v1/spotify/now-playing');
    expect(np.status).toBe(404);
    expect(np.body.error.code).toBe('spotify_not_configured');
    expect((await c.get('/api/v1/health')).body.status).toBe('ok');
  });

  it('redirects to /authorize with PKCE S256, the scopes and a one-time state, and connects', async () => {
    const m = await newSpotifyMember(server, emu);
    const before = await m.c.get('/api/v1/spotify/status');
    expect(before.body).toMatchObject({ configured: true, connected: false, status: 'not_connected' });
    const start = await m.c.get('/api/v1/spotify/connect');
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location')!);
    expect(url.origin + url.pathname).toBe(`${emu.accountsUrl}/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(40);
    expect(url.searchParams.get('redirect_uri')).toBe(`${server.url}/api/v1/spotify/callback`);
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(
      ['user-modify-playback-state', 'user-read-currently-playing', 'user-read-playback-state', 'user-read-recently-played'].sort(),
    );
    const back = await connect(m, emu);
    expect(back.pathname + back.search).toBe('/account?spotify=connected');
    const status = await m.c.get('/api/v1/spotify/status');
    expect(status.body).toMatchObject({ configured: true, connected: true, status: 'ok', needsReconnect: false, consentExpiresSoon: false, lastFailure: null });
    const np = await m.c.get('/api/v1/spotify/now-playing');
    expect(np.status).toBe(200);
    expect(np.body).toMatchObject({ type: 'track', isPlaying: true, stale: false });
    expect(np.body.item).toMatchObject({ name: expect.any(String), uri: expect.stringMatching(/^spotify:track:/) });
    expect(np.body.item.artists.length).toBeGreaterThan(0);
  });

  it('stores tokens only encrypted, in a collection no client can read', async () => {
    const m = await connected(server, emu);
    const row = await admin.collection('spotify_grants').getOne(m.memberId);
    const mine = (await emu.ctl(`/tokens?user=${m.spotifyUser}`)) as { accessTokens: { token: string }[]; refreshTokens: { token: string }[] };
    const raw = JSON.stringify(row);
    for (const t of [...mine.accessTokens, ...mine.refreshTokens]) expect(raw).not.toContain(t.token);
    expect(row.access_token).toMatch(/^v1\.[0-9a-f]{12}\./);
    expect(row.version).toBe(1);
    const anon = await fetch(`${pb.url}/api/collections/spotify_grants/records`);
    expect(anon.status).not.toBe(200);
  });

  it('rejects a callback whose state is unknown, reused, or from another session', async () => {
    const m = await newSpotifyMember(server, emu);
    const bogus = await m.c.get('/api/v1/spotify/callback?code=abc&state=not-a-state');
    expect(bogus.headers.get('location')).toBe('/account?spotify=error&reason=state');

    // A state minted for member A's session, delivered with member B's session.
    const other = await newSpotifyMember(server, emu);
    await emu.ctl('/consent', { user: m.spotifyUser, decision: 'approve' });
    const start = await m.c.get('/api/v1/spotify/connect');
    const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const cb = new URL(authorize.headers.get('location')!);
    const stolen = await other.c.get(cb.pathname + cb.search);
    expect(stolen.headers.get('location')).toBe('/account?spotify=error&reason=state');
    // The state was consumed by that attempt: even the right session cannot use it now.
    const reused = await m.c.get(cb.pathname + cb.search);
    expect(reused.headers.get('location')).toBe('/account?spotify=error&reason=state');
    expect((await m.c.get('/api/v1/spotify/status')).body.connected).toBe(false);
    expect((await other.c.get('/api/v1/spotify/status')).body.connected).toBe(false);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(0);
  });

  it('a denied consent ends in a clear reason', async () => {
    const m = await newSpotifyMember(server, emu);
    const back = await connect(m, emu, 'deny');
    expect(back.pathname + back.search).toBe('/account?spotify=error&reason=denied');
    expect((await m.c.get('/api/v1/spotify/status')).body.status).toBe('not_connected');
  });

  it('connect needs a signed-in member', async () => {
    const r = await client(server.url).get('/api/v1/spotify/connect');
    expect(r.status).toBe(401);
  });

  it('disconnect deletes our tokens and says where to remove the app', async () => {
    const m = await connected(server, emu);
    const r = await m.c.post('/api/v1/spotify/disconnect');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ disconnected: true, manageAppsUrl: 'https://www.spotify.com/account/apps/' });
    await expect(admin.collection('spotify_grants').getOne(m.memberId)).rejects.toThrow();
    expect((await m.c.get('/api/v1/spotify/status')).body.status).toBe('not_connected');
    expect((await m.c.get('/api/v1/spotify/now-playing')).body.error.code).toBe('spotify_not_connected');
  });

  it('no token appears in any response body, cookie, redirect or server log line', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(4);
    expect(leaks(tokens, [...seen, server.logs(), plain.logs()])).toEqual([]);
  });
});
