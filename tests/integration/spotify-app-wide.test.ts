import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import { adminClient, calls, connected, recordingClient, startEmulator, startSpotifyServer, timePasses, tokenCalls, type Emulator } from './spotify-support';

// App-wide rules of shared/docs/spotify-emulator.md §3: invalid_client is an alarm for the
// operator, never a member's "needs reconnect"; and one budget for Spotify's rolling 30-second
// window holds across every member and process, failing fast with a typed error.
const HOUR = 3_600_000;
let pb: TestPocketBase;
let emu: Emulator;
let admin: PocketBase;
const servers: TestServer[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  admin = await adminClient(pb);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await emu?.close();
  await pb?.dispose();
});

describe('Spotify, app-wide', () => {
  it('invalid_client raises an app-wide alarm, keeps the member connected and makes no retry storm', async () => {
    const good = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
    servers.push(good);
    const m = await connected(good, emu);
    const misconfigured = await startSpotifyServer(pb, emu, { SPOTIFY_CLIENT_SECRET: 'not-our-secret', SPOTIFY_CALLS_PER_30S: '1000' });
    servers.push(misconfigured);
    const viaBad = recordingClient(misconfigured.url);
    for (const [k, v] of m.c.jar) viaBad.jar.set(k, v);

    await timePasses(admin, emu, m.memberId, HOUR + 1000);
    const replies = await Promise.all(Array.from({ length: 5 }, () => viaBad.get('/api/v1/spotify/now-playing')));
    expect(replies.every((r) => r.status >= 500 || r.status === 200)).toBe(true);
    expect(replies.some((r) => r.status === 200)).toBe(false);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);

    const status = await viaBad.get('/api/v1/spotify/status');
    expect(status.body.app.alarm).toBe('invalid_client');
    expect(status.body.needsReconnect).toBe(false);
    expect((await admin.collection('spotify_grants').getOne(m.memberId)).status).toBe('ok');
    expect(misconfigured.logs()).toMatch(/spotify_invalid_client/);

    // The correctly configured process still refreshes the member's grant and answers.
    const ok = await m.c.get('/api/v1/spotify/now-playing');
    expect(ok.status).toBe(200);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
  });

  it('one call budget per 30 s for the whole app: over it, callers get a typed 429 at once', async () => {
    const limited = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '4' });
    servers.push(limited);
    const a = await connected(limited, emu);
    const b = await connected(limited, emu);
    // Start from an empty window: the calls above (and the first test's) are 30 s ago.
    for (const row of await admin.collection('spotify_call_slots').getFullList({ fields: 'id' })) await admin.collection('spotify_call_slots').delete(row.id);
    const before = (await calls(emu, a.spotifyUser)) + (await calls(emu, b.spotifyUser));
    const statuses: number[] = [];
    const started = performance.now();
    let last429: { status: number; body: any; headers: Headers } | null = null;
    for (let i = 0; i < 6; i++) {
      for (const m of [a, b]) {
        const r = await m.c.get('/api/v1/spotify/devices');
        statuses.push(r.status);
        if (r.status === 429) last429 = r;
      }
    }
    const elapsed = performance.now() - started;
    const after = (await calls(emu, a.spotifyUser)) + (await calls(emu, b.spotifyUser));
    expect(after - before).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    expect(last429).not.toBeNull();
    expect(last429!.body.error.code).toMatch(/rate_limited/);
    expect(Number(last429!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(10_000); // nobody waits for the window to reopen
  });
});
