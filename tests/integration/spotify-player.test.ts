import PocketBase from 'pocketbase';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  adminClient,
  allTokens,
  calls,
  connected,
  expireNowPlaying,
  leaks,
  PLAYLIST,
  seen,
  startEmulator,
  startSpotifyServer,
  statusCount,
  tokenCalls,
  type Emulator,
  type Member,
  closeCircuits,
} from './spotify-support';

// What members get: now playing (scenario 10), player commands (9), 429s (8), the
// non-allowlisted 403 (13), devices, transfer, volume and mute, playlist search and start.
const NP = '/api/v1/spotify/now-playing';
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
  admin = await adminClient(pb);
});

afterEach(async () => {
  await emu.ctl('/faults', { clear: true });
  await emu.ctl('/mode', { commandSuccess: '204', spurious204Probability: 0, quota: null });
  await closeCircuits(admin);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const playback = (m: Member) => emu.ctl(`/playback?user=${m.spotifyUser}`);

async function freshNowPlaying(m: Member) {
  await expireNowPlaying(admin, m.memberId);
  return m.c.get(NP);
}

describe('now playing', () => {
  it('is fetched once per few seconds however many tabs ask', async () => {
    const m = await connected(server, emu);
    for (let i = 0; i < 20; i++) expect((await m.c.get(NP)).status).toBe(200);
    await Promise.all(Array.from({ length: 20 }, () => m.c.get(NP)));
    expect(await calls(emu, m.spotifyUser, 'GET /v1/me/player/currently-playing')).toBe(1);
  });

  it('10: an ad, an episode, a spurious 204 (debounced) and a real idle', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/playback', { user: m.spotifyUser, queue: [{ kind: 'ad', durationMs: 30_000 }] });
    const ad = await freshNowPlaying(m);
    expect(ad.body).toMatchObject({ type: 'ad', item: null, isPlaying: true });

    await emu.ctl('/playback', { user: m.spotifyUser, queue: ['512ojhOuo1ktJprKbVcKyQ'] });
    const episode = await freshNowPlaying(m);
    expect(episode.body).toMatchObject({ type: 'episode', item: { name: 'Training Talk #12: Heart-rate zones' } });

    await emu.ctl('/playback', { user: m.spotifyUser, contextUri: PLAYLIST, repeat: 'context' });
    expect((await freshNowPlaying(m)).body.type).toBe('track');
    await emu.ctl('/mode', { spurious204Probability: 1 });
    const spurious = await freshNowPlaying(m);
    expect(spurious.body).toMatchObject({ type: 'track', stale: false });
    // Still 204 after the debounce window: now it is believed.
    await admin.collection('spotify_now_playing').update(m.memberId, { none_since: Date.now() - 9_000, fetched_at: 1 });
    expect((await m.c.get(NP)).body).toMatchObject({ type: 'none', item: null, isPlaying: false });
  });

  it('10: nothing playing from the start (204) is "none" at once', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/devices', { user: m.spotifyUser, active: null });
    expect((await m.c.get(NP)).body).toMatchObject({ type: 'none', item: null });
  });

  it('13: a member not on the app allowlist (plain-text 403) gets "limited beta", and no refresh is tried', async () => {
    const m = await connected(server, emu, { allowlisted: false });
    const r = await m.c.get(NP);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('spotify_limited_beta');
    expect(r.body.error.message).toMatch(/limited beta/);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(0);
  });
});

describe('429', () => {
  it('8: Retry-After of 1 s → waits and retries once', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/faults', { route: 'GET /v1/me/player/devices', sequence: [{ status: 429, retryAfterS: 1, body: 'text' }] });
    const before429 = await statusCount(emu, 'GET /v1/me/player/devices', 429);
    const t0 = Date.now();
    const r = await m.c.get('/api/v1/spotify/devices');
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(await statusCount(emu, 'GET /v1/me/player/devices', 429)).toBe(before429 + 1);
    expect((await m.c.get('/api/v1/spotify/status')).body.app.circuit).toBeNull();
  });

  it('8: Retry-After of 80000 s → app-wide circuit; now playing serves the last known state at once', async () => {
    const m = await connected(server, emu);
    expect((await m.c.get(NP)).body.type).toBe('track');
    await emu.ctl('/faults', { route: 'GET /v1/me/player/currently-playing', sequence: [{ status: 429, retryAfterS: 80_000, body: 'text' }] });
    const t0 = Date.now();
    const np = await freshNowPlaying(m);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(np.status).toBe(200);
    expect(np.body).toMatchObject({ type: 'track', stale: true, degraded: 'rate_limited' });
    const before = await calls(emu, m.spotifyUser);
    const devices = await m.c.get('/api/v1/spotify/devices');
    expect(devices.status).toBe(429);
    expect(devices.body.error.code).toBe('spotify_rate_limited');
    expect(Number(devices.headers.get('retry-after'))).toBeGreaterThan(79_000);
    expect(await calls(emu, m.spotifyUser)).toBe(before);
    const status = (await m.c.get('/api/v1/spotify/status')).body;
    expect(status).toMatchObject({ connected: true, lastFailure: { type: 'rate' }, app: { circuit: { reason: 'rate' } } });
  });

  it('QUOTA_EXCEEDED is told apart from the rolling-window limit', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/mode', { quota: { calls: 0, retryAfterS: 3600 } });
    const r = await m.c.get('/api/v1/spotify/devices');
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('spotify_quota_exceeded');
    expect((await m.c.get('/api/v1/spotify/status')).body.app.circuit.reason).toBe('quota');
  });
});

describe('player', () => {
  it('9: 204 and 200-opaque successes; a redundant pause or play (Restriction violated) is success', async () => {
    const m = await connected(server, emu);
    expect((await m.c.post('/api/v1/spotify/player/pause')).body).toEqual({ ok: true });
    expect((await playback(m)).isPlaying).toBe(false);
    expect((await m.c.post('/api/v1/spotify/player/pause')).status).toBe(200);
    expect(await statusCount(emu, 'PUT /v1/me/player/pause', 403)).toBeGreaterThanOrEqual(1);
    expect((await m.c.post('/api/v1/spotify/player/play')).status).toBe(200);
    expect((await m.c.post('/api/v1/spotify/player/play')).status).toBe(200);
    expect((await playback(m)).isPlaying).toBe(true);
    await emu.ctl('/mode', { commandSuccess: '200-opaque' });
    expect((await m.c.post('/api/v1/spotify/player/next')).body).toEqual({ ok: true });
    expect((await m.c.post('/api/v1/spotify/player/previous')).body).toEqual({ ok: true });
    expect(await statusCount(emu, 'POST /v1/me/player/next', 200)).toBeGreaterThanOrEqual(1);
  });

  it('9: PREMIUM_REQUIRED for a free account', async () => {
    const m = await connected(server, emu, { product: 'free' });
    const r = await m.c.post('/api/v1/spotify/player/pause');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('spotify_premium_required');
  });

  it('9: NO_ACTIVE_DEVICE → retried once on a listed device', async () => {
    const m = await connected(server, emu);
    await emu.ctl('/devices', { user: m.spotifyUser, active: null });
    const r = await m.c.post('/api/v1/spotify/player/play');
    expect(r.status).toBe(200);
    const p = await playback(m);
    expect(p.activeDeviceId).toBe(`${m.spotifyUser}-phone`);
    expect(p.isPlaying).toBe(true);
    await emu.ctl('/devices', { user: m.spotifyUser, devices: [], active: null });
    const none = await m.c.post('/api/v1/spotify/player/next');
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('spotify_no_active_device');
  });

  it('lists devices, transfers, sets the volume, and mute/unmute restores it', async () => {
    const m = await connected(server, emu);
    const list = await m.c.get('/api/v1/spotify/devices');
    expect(list.body.devices.map((d: any) => [d.name, d.isActive])).toEqual([
      ['Phone', true],
      ['Speaker', false],
    ]);
    const speaker = list.body.devices[1].id;
    expect((await m.c.post('/api/v1/spotify/player/transfer', { deviceId: speaker, play: true })).status).toBe(200);
    expect((await playback(m)).activeDeviceId).toBe(speaker);
    expect((await m.c.put('/api/v1/spotify/player/volume', { percent: 45 })).status).toBe(200);
    const mute = await m.c.post('/api/v1/spotify/player/mute');
    expect(mute.body).toEqual({ ok: true, previousVolume: 45 });
    expect((await playback(m)).devices.find((d: any) => d.id === speaker).volumePercent).toBe(0);
    expect((await m.c.get('/api/v1/spotify/status')).body.muted).toBe(true);
    const unmute = await m.c.post('/api/v1/spotify/player/unmute');
    expect(unmute.body).toEqual({ ok: true, volume: 45 });
    expect((await playback(m)).devices.find((d: any) => d.id === speaker).volumePercent).toBe(45);
    expect((await m.c.put('/api/v1/spotify/player/volume', { percent: 101 })).status).toBe(400);
    expect((await m.c.post('/api/v1/spotify/player/transfer', { deviceId: 'nope' })).body.error.code).toBe('spotify_device_not_found');
  });

  it('searches playlists and starts one', async () => {
    const m = await connected(server, emu);
    const found = await m.c.get('/api/v1/spotify/search/playlists?q=hiit');
    expect(found.status).toBe(200);
    expect(found.body.playlists[0]).toMatchObject({ name: 'HIIT Power', uri: 'spotify:playlist:37i9dQZF1DWZq91oLsHZvy' });
    const start = await m.c.post('/api/v1/spotify/player/play', { contextUri: found.body.playlists[0].uri });
    expect(start.status).toBe(200);
    expect((await playback(m)).context.uri).toBe('spotify:playlist:37i9dQZF1DWZq91oLsHZvy');
    expect((await m.c.get('/api/v1/spotify/search/playlists?q=')).status).toBe(400);
  });
});

describe('secrets', () => {
  it('no token appears in any response body, cookie or server log line', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(10);
    expect(leaks(tokens, [...seen, server.logs()])).toEqual([]);
  });
});
