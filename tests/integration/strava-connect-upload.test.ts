import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  activitiesOf,
  adminClient,
  allTokens,
  connect,
  connected,
  pushWorkout,
  refreshCalls,
  seen,
  signUp,
  startStravaEmulator,
  startStravaServer,
  uploadOf,
  uploadsOf,
  type StravaEmu,
} from './strava-support';

// Issue 16: connect through the real OAuth flow, upload after sync, by hand (twice), duplicate,
// revocation at Strava, disconnect — one sync-server process, a real PocketBase, the emulator.
let pb: TestPocketBase;
let emu: StravaEmu;
let server: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startStravaEmulator();
  server = await startStravaServer(pb, emu);
  admin = await adminClient(pb);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const settled = (s: string | undefined) => s === 'done' || s === 'duplicate' || s === 'failed';

describe('Strava connect', () => {
  it('connects through the real OAuth flow; status says so and never carries a token', async () => {
    const m = await signUp(server);
    expect((await m.c.get('/api/v1/strava/status')).body).toMatchObject({ configured: true, state: 'not_connected', connected: false, mode: 'off' });
    const back = await connect(m, emu);
    expect(back.pathname).toBe('/account');
    expect(back.searchParams.get('strava')).toBe('connected');
    const st = await m.c.get('/api/v1/strava/status');
    expect(st.body).toMatchObject({ configured: true, state: 'connected', connected: true, manageAppsUrl: 'https://www.strava.com/settings/apps' });
    const row = await admin.collection('strava_grants').getOne(m.memberId);
    expect(row.status).toBe('ok');
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(0);
    // Sealed at rest, never in an answer.
    for (const t of tokens) {
      expect(JSON.stringify(row)).not.toContain(t);
      expect(seen.join('\n')).not.toContain(t);
      expect(server.logs()).not.toContain(t);
    }
  });

  it('a refusal, an unticked activity:write and a replayed state connect nothing', async () => {
    const m = await signUp(server);
    expect((await connect(m, emu, { decision: 'deny' })).searchParams.get('reason')).toBe('denied');
    expect((await connect(m, emu, { scope: 'read' })).searchParams.get('reason')).toBe('scope');
    await expect(admin.collection('strava_grants').getOne(m.memberId)).rejects.toThrow();
    const replay = await m.c.get('/api/v1/strava/callback?state=made-up&code=x&scope=read,activity:write');
    expect(new URL(replay.headers.get('location')!, server.url).searchParams.get('reason')).toBe('state');
  });

  it('bad input gets typed errors', async () => {
    const m = await connected(server, emu, 'manual');
    expect((await m.c.put('/api/v1/strava/preferences', { mode: 'always' })).body.error.code).toBe('invalid_body');
    expect((await m.c.post('/api/v1/strava/uploads', { sessionId: 'nope' })).body.error.code).toBe('invalid_body');
    const missing = await m.c.post('/api/v1/strava/uploads', { sessionId: globalThis.crypto.randomUUID() });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    expect((await m.c.get('/api/v1/strava/uploads?sessions=x,y')).body.error.code).toBe('invalid_query');
    const stranger = await signUp(server);
    expect((await stranger.c.post('/api/v1/strava/uploads', { sessionId: globalThis.crypto.randomUUID() })).body.error.code).toBe('strava_not_connected');
  });
});

describe('uploads', () => {
  it('every workout: once a workout has synced it goes up once, with its name, description, external_id and trainer', async () => {
    const m = await connected(server, emu, 'auto');
    const sessionId = await pushWorkout(m, { title: 'Tuesday HIIT' });
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 250 }).toBe('done');
    const up = (await uploadOf(m, sessionId))!;
    const acts = await activitiesOf(emu, m.athleteId);
    expect(acts).toHaveLength(1);
    expect(acts[0]).toMatchObject({ externalId: `hrm-${sessionId}.fit`, name: 'Tuesday HIIT', trainer: true });
    expect(acts[0]!.description).toContain('Recorded with HRM');
    expect(up).toMatchObject({ activityId: String(acts[0]!.id), activityUrl: `https://www.strava.com/activities/${acts[0]!.id}` });
    // Polls of the upload were never closer than a second.
    expect((await uploadsOf(emu, m.athleteId)).every((u) => u.fastPolls === 0)).toBe(true);
  });

  it('by hand: a member clicking twice (and on two tabs) makes one activity; "by hand" uploads nothing by itself', async () => {
    const m = await connected(server, emu, 'manual');
    const sessionId = await pushWorkout(m);
    const other = await pushWorkout(m);
    const clicks = await Promise.all([1, 2, 3, 4].map(() => m.c.post('/api/v1/strava/uploads', { sessionId })));
    expect(clicks.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 250 }).toBe('done');
    expect((await m.c.post('/api/v1/strava/uploads', { sessionId })).body.upload.state).toBe('done');
    expect(await activitiesOf(emu, m.athleteId)).toHaveLength(1);
    expect(await uploadsOf(emu, m.athleteId)).toHaveLength(1);
    expect(await uploadOf(m, other)).toBeNull();
  });

  it('a duplicate answer counts as done and records the existing activity', async () => {
    const m = await connected(server, emu, 'manual');
    const sessionId = await pushWorkout(m);
    await m.c.post('/api/v1/strava/uploads', { sessionId });
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 250 }).toBe('done');
    const [first] = await activitiesOf(emu, m.athleteId);
    // Our record of it is lost (a restore from an old backup): the same file goes up again.
    const job = await admin.collection('strava_upload_jobs').getFirstListItem(admin.filter('session_id = {:s}', { s: sessionId }));
    await admin.collection('strava_upload_jobs').delete(job.id);
    await m.c.post('/api/v1/strava/uploads', { sessionId });
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 250 }).toBe('duplicate');
    expect(await uploadOf(m, sessionId)).toMatchObject({ activityId: String(first!.id) });
    expect(await activitiesOf(emu, m.athleteId)).toHaveLength(1);
    expect(await uploadsOf(emu, m.athleteId)).toHaveLength(2);
  });

  it('revocation at Strava: the uploads ask to reconnect, after one refresh attempt; reconnecting sends them', async () => {
    const m = await connected(server, emu, 'auto');
    await emu.ctl('/revoke', { athleteId: m.athleteId });
    const refreshesBefore = await refreshCalls(emu);
    const sessions = [await pushWorkout(m), await pushWorkout(m), await pushWorkout(m)];
    for (const s of sessions) await expect.poll(async () => (await uploadOf(m, s))?.state, { timeout: 30_000, interval: 250 }).toBe('failed');
    for (const s of sessions) expect(await uploadOf(m, s)).toMatchObject({ reason: 'needs_reconnect' });
    expect((await m.c.get('/api/v1/strava/status')).body.state).toBe('needs_reconnect');
    expect((await refreshCalls(emu)) - refreshesBefore).toBe(1);
    expect(await activitiesOf(emu, m.athleteId)).toHaveLength(0);
    // Connect again: the failed uploads go up.
    expect((await connect(m, emu)).searchParams.get('strava')).toBe('connected');
    for (const s of sessions) await expect.poll(async () => (await uploadOf(m, s))?.state, { timeout: 30_000, interval: 250 }).toBe('done');
    expect(await activitiesOf(emu, m.athleteId)).toHaveLength(3);
  });

  it('disconnect deletes our tokens, revokes the app at Strava and says where to check', async () => {
    const m = await connected(server, emu, 'auto');
    const r = await m.c.post('/api/v1/strava/disconnect');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ disconnected: true, revokedAtStrava: true, manageAppsUrl: 'https://www.strava.com/settings/apps' });
    await expect(admin.collection('strava_grants').getOne(m.memberId)).rejects.toThrow();
    expect((await m.c.get('/api/v1/strava/status')).body.state).toBe('not_connected');
    const sessionId = await pushWorkout(m);
    await expect.poll(async () => settled((await uploadOf(m, sessionId))?.state) && (await uploadOf(m, sessionId))?.reason, { timeout: 30_000, interval: 250 }).toBe('not_connected');
  });
});
