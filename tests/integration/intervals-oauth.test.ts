import { randomBytes } from 'node:crypto';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenIntervalsEmulator, type RunningIntervalsEmulator } from '../intervals-emulator/serve';
import { oauthDance } from '../support/oauth-dance';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { adminClient, pushWorkout, seen, signUp } from './strava-support';

// Issue 16, intervals.icu by OAuth (forum.intervals.icu/t/2759) beside the personal key: a member
// connects through the real flow (HRM's /connect/oauth, the emulator's authorize page, HRM's
// callback exchanging the code), the token is stored sealed and used as Bearer, a member who
// removes the app is asked to reconnect once, a decline, a narrower consent, a replayed state, a
// state from another session and a code past its 2 minutes are answered cleanly, and no token or
// client secret shows in any answer or log line.
const ATHLETES = Array.from({ length: 12 }, (_, i) => ({ id: `i${950 + i}`, name: `Rider ${i}`, apiKey: `${randomBytes(12).toString('hex')}k${i}` }));
const APP = { id: '4242', secret: `app-secret-${randomBytes(8).toString('hex')}` };
const TOKEN_KEY = randomBytes(32).toString('base64');
let pb: TestPocketBase;
let emu: RunningIntervalsEmulator;
let server: TestServer;
let admin: PocketBase;
let next = 0;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await listenIntervalsEmulator({ athletes: ATHLETES, perSecond: 1000, clients: [APP], autoConsentAthlete: null });
  server = await startSyncServer({
    pb,
    env: {
      INTERVALS_ENABLED: 'true',
      INTERVALS_API_URL: emu.apiUrl,
      INTERVALS_OAUTH_URL: emu.oauthUrl,
      INTERVALS_CLIENT_ID: APP.id,
      INTERVALS_CLIENT_SECRET: APP.secret,
      INTERVALS_TOKEN_KEY: TOKEN_KEY,
      INTERVALS_UPLOAD_INTERVAL_MS: '250',
      INTERVALS_UPLOAD_LEASE_MS: '6000',
    },
  });
  admin = await adminClient(pb);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

type Member = Awaited<ReturnType<typeof signUp>> & { athlete: (typeof ATHLETES)[number] };

async function member(): Promise<Member> {
  const m = await signUp(server);
  return { ...m, athlete: ATHLETES[next++]! };
}

/** The whole dance, the athlete answering the authorize page as told; where the callback sent the browser. */
async function connect(m: Member, consent: { decision?: 'approve' | 'deny'; scope?: string } = {}): Promise<URL> {
  await emu.ctl('/consent', { athleteId: m.athlete.id, decision: consent.decision ?? 'approve', ...(consent.scope ? { scope: consent.scope } : {}) });
  return oauthDance(m, '/api/v1/intervals/connect/oauth');
}

/** The first half of the dance: HRM's redirect to intervals.icu and intervals.icu's back to our callback (not yet followed). */
async function callbackUrl(m: Member): Promise<string> {
  await emu.ctl('/consent', { athleteId: m.athlete.id, decision: 'approve' });
  const start = await m.c.get('/api/v1/intervals/connect/oauth');
  expect(start.status).toBe(302);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const back = new URL(authorize.headers.get('location')!);
  return back.pathname + back.search;
}

const status = async (m: Member) => (await m.c.get('/api/v1/intervals/status')).body;
const uploadOf = async (m: Member, sessionId: string) => {
  const r = await m.c.get(`/api/v1/intervals/uploads?sessions=${sessionId}`);
  if (r.status !== 200) throw new Error(`uploads: ${r.status} ${r.text}`);
  return (r.body.uploads as { state: string; reason: string | null }[])[0] ?? null;
};
const callsOf = async (athleteId: string, route: string) =>
  ((await emu.ctl(`/calls?route=${encodeURIComponent(route)}`)).entries as { status: number; athleteId: string | null; auth: string | null }[]).filter((e) => e.athleteId === athleteId);

describe('intervals.icu: connect by OAuth', () => {
  it('the server offers OAuth; a consent connects the member, sealed at rest, with the scopes granted; disconnect says where to remove the app', async () => {
    const m = await member();
    expect(await status(m)).toMatchObject({ configured: true, oauth: true, state: 'not_connected', method: null });
    const start = await m.c.get('/api/v1/intervals/connect/oauth');
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${emu.oauthUrl}/oauth/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('ACTIVITY:WRITE,WELLNESS:WRITE');
    const back = await connect(m);
    expect(back.pathname + back.search).toBe('/account?intervals=connected');
    expect(await status(m)).toMatchObject({ state: 'connected', method: 'oauth', scopes: ['ACTIVITY:WRITE', 'WELLNESS:WRITE'], wellnessAllowed: true });
    const row = await admin.collection('intervals_grants').getOne(m.memberId);
    expect(String(row.access_token)).toMatch(/^v1\./);
    for (const t of emu.emulator.state.oauth.tokens.keys()) expect(JSON.stringify(row)).not.toContain(t);
    const off = await m.c.post('/api/v1/intervals/disconnect');
    expect(off.body).toEqual({ disconnected: true, settingsUrl: 'https://intervals.icu/settings' });
    expect(await status(m)).toMatchObject({ state: 'not_connected', method: null });
  });

  it('a workout uploads with Bearer; the personal key still connects with Basic beside it', async () => {
    const m = await member();
    await connect(m);
    expect((await m.c.put('/api/v1/intervals/preferences', { mode: 'manual' })).status).toBe(200);
    const sessionId = await pushWorkout(m, { minutes: 2 });
    expect((await m.c.post('/api/v1/intervals/uploads', { sessionId })).status).toBeLessThan(300);
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 300 }).toBe('done');
    expect((await callsOf(m.athlete.id, 'POST /api/v1/athlete/:id/activities')).map((e) => [e.status, e.auth])).toEqual([[201, 'bearer']]);

    const k = await member();
    const r = await k.c.post('/api/v1/intervals/connect', { apiKey: k.athlete.apiKey });
    expect(r.body).toMatchObject({ state: 'connected', method: 'key', scopes: null, oauth: true });
    expect((await callsOf(k.athlete.id, 'GET /api/v1/athlete/:id')).map((e) => e.auth)).toEqual(['basic']);
  });

  it('a narrower consent without WELLNESS:WRITE connects with wellness off and refused; without ACTIVITY:WRITE nothing connects', async () => {
    const m = await member();
    const back = await connect(m, { scope: 'ACTIVITY:WRITE' });
    expect(back.searchParams.get('intervals')).toBe('connected');
    expect(await status(m)).toMatchObject({ state: 'connected', scopes: ['ACTIVITY:WRITE'], wellnessAllowed: false, wellness: false });
    const p = await m.c.put('/api/v1/intervals/preferences', { wellness: true });
    expect([p.status, p.body.error.code]).toEqual([409, 'intervals_scope_missing']);
    // Wellness on with a full grant, then a reconnect that unticks WELLNESS:WRITE: wellness goes off.
    const w = await member();
    await connect(w);
    expect((await w.c.put('/api/v1/intervals/preferences', { wellness: true })).body).toMatchObject({ wellness: true });
    await connect(w, { scope: 'ACTIVITY:WRITE' });
    expect(await status(w)).toMatchObject({ state: 'connected', wellnessAllowed: false, wellness: false });

    const n = await member();
    const refused = await connect(n, { scope: 'WELLNESS:WRITE' });
    expect(refused.pathname + refused.search).toBe('/account?intervals=error&reason=scope');
    expect(await status(n)).toMatchObject({ state: 'not_connected' });
  });

  it('a decline lands on the account page with reason=denied and connects nothing', async () => {
    const m = await member();
    const back = await connect(m, { decision: 'deny' });
    expect(back.pathname + back.search).toBe('/account?intervals=error&reason=denied');
    expect(await status(m)).toMatchObject({ state: 'not_connected' });
  });

  it('a replayed callback, a state from another session and a code past its 2 minutes are refused', async () => {
    const m = await member();
    const cb = await callbackUrl(m);
    expect((await m.c.get(cb)).headers.get('location')).toBe('/account?intervals=connected');
    expect((await m.c.get(cb)).headers.get('location')).toBe('/account?intervals=error&reason=state');

    const victim = await member();
    const attacker = await member();
    const stolen = await callbackUrl(attacker);
    expect((await victim.c.get(stolen)).headers.get('location')).toBe('/account?intervals=error&reason=state');
    expect(await status(victim)).toMatchObject({ state: 'not_connected' });

    const slow = await member();
    const late = await callbackUrl(slow);
    emu.emulator.clock.advance(2 * 60_000 + 1_000);
    expect((await slow.c.get(late)).headers.get('location')).toBe('/account?intervals=error&reason=exchange');
    expect(await status(slow)).toMatchObject({ state: 'not_connected' });
  });

  it('a member who removes the app on intervals.icu is asked to reconnect, once; connecting again repairs it', async () => {
    const m = await member();
    await connect(m);
    await m.c.put('/api/v1/intervals/preferences', { mode: 'manual' });
    const ids = [await pushWorkout(m, { minutes: 2 }), await pushWorkout(m, { minutes: 2 }), await pushWorkout(m, { minutes: 2 })];
    expect(await emu.ctl('/revoke-app', { athleteId: m.athlete.id })).toMatchObject({ revoked: 1 });
    for (const sessionId of ids) await m.c.post('/api/v1/intervals/uploads', { sessionId });
    await expect.poll(async () => (await Promise.all(ids.map((s) => uploadOf(m, s)))).map((u) => u?.reason), { timeout: 30_000, interval: 300 }).toEqual(['needs_reconnect', 'needs_reconnect', 'needs_reconnect']);
    expect(await status(m)).toMatchObject({ state: 'needs_reconnect', method: 'oauth' });
    const events = await admin.collection('intervals_grant_events').getFullList({ filter: admin.filter('grant = {:g} && kind = "failure"', { g: m.memberId }) });
    expect(events.map((e) => e.type)).toEqual(['auth']);
    const refused = await callsOf(m.athlete.id, 'POST /api/v1/athlete/:id/activities');
    expect(refused.filter((e) => e.status === 401).length).toBe(refused.length);
    expect(refused.length).toBeLessThanOrEqual(2);
    // Connecting again makes a new grant; the failed uploads go again.
    expect((await connect(m)).searchParams.get('intervals')).toBe('connected');
    await expect.poll(async () => (await Promise.all(ids.map((s) => uploadOf(m, s)))).map((u) => u?.state), { timeout: 30_000, interval: 300 }).toEqual(['done', 'done', 'done']);
  });
});

describe('no secret leaks', () => {
  it('no OAuth token or client secret in any response, cookie, redirect or server log line', () => {
    const tokens = [...emu.emulator.state.oauth.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(3);
    for (const t of [...tokens, APP.secret]) {
      for (const text of seen) expect(text.includes(t)).toBe(false);
      expect(server.logs().includes(t)).toBe(false);
    }
    expect(server.logs()).toContain('intervals.icu configured');
  });
});
