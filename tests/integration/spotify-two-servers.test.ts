import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  adminClient,
  allTokens,
  calls,
  closeCircuits,
  connected,
  leaks,
  recordingClient,
  seen,
  startEmulator,
  startSpotifyServer,
  timePasses,
  tokenCalls,
  type Emulator,
} from './spotify-support';

// spotify-emulator.md §2.7 scenario 2: two sync-server processes sharing one PocketBase refresh
// a grant once, and obey one app-wide 429 circuit.
let pb: TestPocketBase;
let emu: Emulator;
let a: TestServer;
let b: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  [a, b] = await Promise.all([startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' }), startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' })]);
  admin = await adminClient(pb);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await emu?.close();
  await pb?.dispose();
});

function sameDeviceOn(m: { c: ReturnType<typeof recordingClient> }, server: TestServer) {
  const c = recordingClient(server.url);
  for (const [k, v] of m.c.jar) c.jar.set(k, v);
  return c;
}

describe('two server processes, one PocketBase', () => {
  it('2: 100 concurrent requests split over both processes, expired token, strict rotation, slow token endpoint → one refresh', async () => {
    const m = await connected(a, emu);
    const onB = sameDeviceOn(m, b);
    await emu.ctl('/mode', { rotation: 'strict', graceMs: 0, tokenDelayMs: 1500 });
    await timePasses(admin, emu, m.memberId, 3_600_000 + 1000);
    const requests = [
      ...Array.from({ length: 25 }, () => m.c.get('/api/v1/spotify/now-playing')),
      ...Array.from({ length: 25 }, () => onB.get('/api/v1/spotify/now-playing')),
      // Devices are never cached: every one of these needs a token of its own process.
      ...Array.from({ length: 25 }, () => m.c.get('/api/v1/spotify/devices')),
      ...Array.from({ length: 25 }, () => onB.get('/api/v1/spotify/devices')),
    ];
    const replies = await Promise.all(requests);
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    expect((await emu.ctl(`/tokens?user=${m.spotifyUser}`)).counts.refreshTokens).toEqual({ rotated: 1, active: 1 });
    // Now playing was fetched once for both processes.
    expect(await calls(emu, m.spotifyUser, 'GET /v1/me/player/currently-playing')).toBe(1);
    expect(await calls(emu, m.spotifyUser, 'GET /v1/me/player/devices')).toBe(50);
    await emu.ctl('/mode', { rotation: 'none-2026', tokenDelayMs: 0 });
  });

  it('a 429 circuit opened through one process makes the other fail fast without calling Spotify', async () => {
    const m = await connected(a, emu);
    const onB = sameDeviceOn(m, b);
    await emu.ctl('/faults', { route: 'GET /v1/me/player/devices', sequence: [{ status: 429, retryAfterS: 80_000, body: 'text' }] });
    const first = await m.c.get('/api/v1/spotify/devices');
    expect(first.status).toBe(429);
    expect(first.body.error.code).toBe('spotify_rate_limited');
    const before = await calls(emu, m.spotifyUser);
    const t0 = Date.now();
    const second = await onB.get('/api/v1/spotify/devices');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(79_000);
    expect(await calls(emu, m.spotifyUser)).toBe(before);
    expect((await onB.get('/api/v1/spotify/status')).body.app.circuit.reason).toBe('rate');
    expect(await closeCircuits(admin)).toBeGreaterThan(0);
    expect((await onB.get('/api/v1/spotify/devices')).status).toBe(200);
  });

  it('no token appears in any response body, cookie or log line of either process', async () => {
    const tokens = await allTokens(emu);
    expect(leaks(tokens, [...seen, a.logs(), b.logs()])).toEqual([]);
  });
});
