import PocketBase from 'pocketbase';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import { adminClient, connect, connected, recordingClient, startEmulator, startSpotifyServer, statusCount, timePasses, tokenCalls, type Emulator, type Member } from './spotify-support';

// Issue 11 defects 1–4 with two real server processes sharing one PocketBase, against the
// emulator (slow and failing token endpoint, revoked access tokens).
let pb: TestPocketBase;
let emu: Emulator;
let a: TestServer;
let b: TestServer;
let admin: PocketBase;

const HOUR = 3_600_000;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  [a, b] = await Promise.all([startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' }), startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' })]);
  admin = await adminClient(pb);
});

afterEach(async () => {
  emu.setHook(null);
  await emu.ctl('/faults', { clear: true });
  await emu.ctl('/mode', { rotation: 'none-2026', tokenDelayMs: 0 });
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await emu?.close();
  await pb?.dispose();
});

function onServer(m: Member, server: TestServer) {
  const c = recordingClient(server.url);
  for (const [k, v] of m.c.jar) c.jar.set(k, v);
  return c;
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
async function until<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function grantRow(memberId: string) {
  return admin.collection('spotify_grants').getOne(memberId);
}

async function ledgerMax(memberId: string): Promise<number> {
  const r = await admin.collection('spotify_grant_versions').getList(1, 1, { filter: admin.filter('grant = {:g}', { g: memberId }), sort: '-version' });
  return r.items[0]?.version ?? 0;
}

/** The member's current access token at the emulator, revoked: Spotify now answers it 401. */
async function revokeAccessToken(m: Member) {
  const t = await emu.ctl(`/tokens?user=${m.spotifyUser}`);
  const active = t.accessTokens.filter((x: { state: string }) => x.state === 'active');
  for (const x of active) await emu.ctl('/revoke', { accessToken: x.token });
  return active.length;
}

describe('defect 1: stats and mute writes never undo a saved refresh', () => {
  it('token in the refresh-ahead window, slow token endpoint, waves of mute/unmute on two processes', async () => {
    const m = await connected(a, emu);
    const onB = onServer(m, b);
    // Rotation on: a refresh undone by a stale write would present a rotated-out token next time.
    await emu.ctl('/mode', { rotation: 'strict', graceMs: 0, tokenDelayMs: 2_000 });
    await timePasses(admin, emu, m.memberId, HOUR - 4 * 60_000); // 4 min left: refresh ahead, in the background
    const v0 = (await grantRow(m.memberId)).version;
    // Forty mute/unmute workers on both processes keep plain writes queued the whole time: each
    // mute reads the devices (which starts the background refresh) and writes the mute volume.
    let refreshed = false;
    const afterRefresh = new Map<number, number>();
    const bad: number[] = [];
    const worker = async (c: typeof m.c, n: number) => {
      for (let i = 0; (afterRefresh.get(n) ?? 0) < 4; i++) {
        // Mostly unmutes: the cheapest request that writes the mute volume.
        const r = await c.post(`/api/v1/spotify/player/${i % 4 ? 'unmute' : 'mute'}`);
        if (r.status >= 500) bad.push(r.status);
        if (refreshed) afterRefresh.set(n, (afterRefresh.get(n) ?? 0) + 1);
        if (i > 2_000) throw new Error('no refresh was saved');
      }
    };
    const workers = Array.from({ length: 40 }, (_, n) => worker(n % 2 ? onB : m.c, n));
    await until(async () => ((await grantRow(m.memberId)).version !== v0 ? true : undefined), 30_000);
    refreshed = true;
    await Promise.all(workers);
    expect(bad).toEqual([]);
    const g = await grantRow(m.memberId);
    expect(g.version).toBe(v0 + 1);
    expect(await ledgerMax(m.memberId)).toBe(g.version);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
    // The next expiry refreshes with the saved (rotated) token: nothing was undone.
    await emu.ctl('/mode', { tokenDelayMs: 0 });
    await timePasses(admin, emu, m.memberId, HOUR);
    expect((await onB.get('/api/v1/spotify/devices')).status).toBe(200);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(2);
    const tokens = await emu.ctl(`/tokens?user=${m.spotifyUser}`);
    expect(tokens.counts.refreshTokens.revoked ?? 0).toBe(0);
    expect((await grantRow(m.memberId)).version).toBe(await ledgerMax(m.memberId));
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ state: 'connected', needsReconnect: false });
  });
});

describe('defects 2 and 3: a grant wedged the old way', () => {
  it('reconnecting repairs it, and it refreshes again afterwards', async () => {
    const m = await connected(a, emu);
    const g = await grantRow(m.memberId);
    // The old bug: a ledger row one ahead of the grant (a saved refresh undone by a stale update).
    await admin.collection('spotify_grant_versions').create({ grant: m.memberId, version: g.version + 1 });
    const back = await connect(m, emu);
    expect(back.searchParams.get('spotify')).toBe('connected');
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ state: 'connected', connected: true });
    const onB = onServer(m, b);
    await timePasses(admin, emu, m.memberId, HOUR + 1_000);
    expect((await onB.get('/api/v1/spotify/devices')).status).toBe(200);
    expect((await grantRow(m.memberId)).version).toBe(await ledgerMax(m.memberId));
  });

  it('a refused grant is marked, and /status says needs reconnect on both processes', async () => {
    const m = await connected(a, emu);
    const g = await grantRow(m.memberId);
    await admin.collection('spotify_grant_versions').create({ grant: m.memberId, version: g.version + 1 });
    await emu.ctl('/revoke', { user: m.spotifyUser });
    await timePasses(admin, emu, m.memberId, HOUR + 1_000);
    const r = await m.c.get('/api/v1/spotify/devices');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('spotify_needs_reconnect');
    for (const c of [m.c, onServer(m, b)]) {
      expect((await c.get('/api/v1/spotify/status')).body).toMatchObject({ state: 'needs_reconnect', needsReconnect: true, connected: false });
    }
    // And reconnecting repairs it.
    expect((await connect(m, emu)).searchParams.get('spotify')).toBe('connected');
    expect((await m.c.get('/api/v1/spotify/devices')).status).toBe(200);
  });
});

describe('defect 4: a 401 whose refresh cannot finish answers 503 spotify_unavailable with Retry-After', () => {
  const route = 'GET /v1/me/player/devices';

  it('token endpoint failing: 503, the refused token is not sent again, /status says unavailable, then it recovers', async () => {
    const m = await connected(a, emu);
    const before401 = await statusCount(emu, route, 401);
    expect(await revokeAccessToken(m)).toBe(1);
    await emu.ctl('/faults', { route: 'POST /api/token', sequence: [{ status: 503, body: 'html' }] });
    const r = await m.c.get('/api/v1/spotify/devices');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('spotify_unavailable');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await statusCount(emu, route, 401)) - before401).toBe(1);
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ state: 'unavailable', connected: true });
    // After the backoff the refresh goes through.
    await until(async () => ((await m.c.get('/api/v1/spotify/devices')).status === 200 ? true : undefined));
    expect((await m.c.get('/api/v1/spotify/status')).body).toMatchObject({ state: 'connected' });
  });

  it("another process's refresh taking longer than the wait: 503 on this one, 200 on that one", async () => {
    const m = await connected(a, emu);
    const onB = onServer(m, b);
    await revokeAccessToken(m);
    await emu.ctl('/mode', { tokenDelayMs: 7_000 });
    let tokenAsked!: () => void;
    const asked = new Promise<void>((r) => (tokenAsked = r));
    emu.setHook(async (req, respond) => {
      if (new URL(req.url).pathname.endsWith('/api/token')) tokenAsked();
      return respond();
    });
    const onA = m.c.get('/api/v1/spotify/devices');
    await asked; // process a holds the lease and waits for Spotify
    const r = await onB.get('/api/v1/spotify/devices');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('spotify_unavailable');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await onA).status).toBe(200);
    expect(await tokenCalls(emu, m.spotifyUser)).toBe(1);
  });

  it('a dead process holding the refresh lease: 503 with Retry-After, no retry with the refused token', async () => {
    const m = await connected(a, emu);
    const before401 = await statusCount(emu, route, 401);
    await revokeAccessToken(m);
    await admin.collection('spotify_leases').create({ key: `refresh:${m.memberId}`, holder: 'dead-process', locked_until: Date.now() + 12_000 });
    const r = await onServer(m, b).get('/api/v1/spotify/devices');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('spotify_unavailable');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await statusCount(emu, route, 401)) - before401).toBe(1);
    // Once the dead holder's lease has run out, the next request takes it over and refreshes.
    await until(async () => ((await m.c.get('/api/v1/spotify/devices')).status === 200 ? true : undefined), 30_000);
  });
});
