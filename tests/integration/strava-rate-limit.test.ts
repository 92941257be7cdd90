import pino from 'pino';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStravaFeature, createPbStravaStores } from '../../sync-server/src/strava/feature';
import { createStravaHttp } from '../../sync-server/src/strava/http';
import { createStravaUploadsApi } from '../../sync-server/src/strava/uploads-api';
import { createManualClock } from '../spotify-emulator/clock';
import { createStravaEmulator } from '../strava-emulator/emulator';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { adminClient, ATHLETES, CLIENT, pushWorkout, signUp } from './strava-support';

// Issue 16, rate limits app-wide across processes: a 429 stops every worker until Strava's
// 15-minute window resets, and so does a window the usage headers say is full. Two upload
// workers (two feature instances, each with its own PocketBase client and memory, as two
// processes have) over a real PocketBase; Strava's and our time is one manual clock, so the
// window's end is reached without waiting 15 minutes. Workouts are synced through a real server.
const QUARTER = 15 * 60_000;
let pb: TestPocketBase;
let server: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
  admin = await adminClient(pb);
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
});

let windows = 0;

async function setup(limit15 = 200) {
  // 10 minutes into a window no earlier test has used (their back-offs stay in PocketBase).
  const start = (Math.floor(Date.now() / QUARTER) + 4 * windows++) * QUARTER + 10 * 60_000;
  const clock = createManualClock(start);
  const emu = createStravaEmulator({ clients: [CLIENT], athletes: ATHLETES, clock, knobs: { limit15 } });
  const fetchEmu = (async (input: string | URL | Request, init?: RequestInit) => emu.app.request(String(input), init)) as typeof fetch;
  const config = {
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    redirectUri: 'http://127.0.0.1/api/v1/strava/callback',
    oauthUrl: 'http://emu/oauth',
    apiUrl: 'http://emu/api/v3',
    tokenKey: { id: 'k1', key: Buffer.alloc(32, 7) },
    uploadIntervalMs: 1000,
    uploadLeaseMs: 60_000,
    uploadPollMs: 1000,
  };
  const worker = async (name: string) => {
    const pbc = await adminClient(pb);
    return createStravaFeature({
      config,
      stores: createPbStravaStores(pbc, name),
      logger: pino({ level: 'silent' }),
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
      random: () => 0.5,
      http: createStravaHttp(config, { fetch: fetchEmu, now: clock.now }),
      api: createStravaUploadsApi(config.apiUrl, { fetch: fetchEmu }),
      holder: name,
    });
  };
  const [w1, w2] = [await worker('process-1'), await worker('process-2')];
  const m = await signUp(server);
  const session = { id: 'browser-session', userId: m.memberId };
  const url = new URL(await w1.connect.start(session));
  emu.state.consents.push({ athleteId: m.athleteId, decision: 'approve' });
  const back = new URL((await emu.app.request(`${url.pathname}${url.search}`)).headers.get('location')!);
  const done = await w1.connect.finish(session, { state: back.searchParams.get('state')!, code: back.searchParams.get('code')!, scope: back.searchParams.get('scope')! });
  expect(done.ok).toBe(true);
  const apiCalls = () => emu.state.calls.filter((c) => c.route.includes('/api/v3/')).length;
  const activities = () => [...emu.state.activities.values()].filter((a) => a.athleteId === m.athleteId);
  return { clock, emu, w1, w2, m, start, apiCalls, activities };
}

describe('Strava rate limits, app-wide', () => {
  it('429: no process calls Strava until the window resets, then the queue drains', async () => {
    const { clock, emu, w1, w2, m, start, apiCalls, activities } = await setup();
    const ids = [await pushWorkout(m), await pushWorkout(m), await pushWorkout(m)];
    for (const sessionId of ids) expect(await w1.uploadByHand(m.memberId, sessionId)).toMatchObject({ state: 'queued' });
    emu.state.faults.push({ route: 'POST /api/v3/uploads', statuses: [429], latencyMs: 0 });
    const windowEnd = start + 5 * 60_000;

    expect(await w1.worker.runDue()).toEqual(['retry']);
    const after429 = apiCalls();
    // The back-off is in PocketBase: the other process (its own memory) obeys it too.
    const blocks = await admin.collection('strava_rate_blocks').getFullList();
    expect(blocks.map((b) => [b.until, b.reason])).toContainEqual([windowEnd, '429']);
    for (let i = 0; i < 5; i++) {
      expect(await w2.worker.runDue()).toEqual(['waiting']);
      expect(await w1.worker.runDue()).toEqual(['waiting']);
      clock.advance(50_000);
    }
    expect(apiCalls()).toBe(after429);
    // History and status say the uploads wait for a window.
    const view = await w2.uploads(m.memberId, ids);
    expect(view.waitingUntil).toBe(new Date(windowEnd).toISOString());
    expect(view.uploads.every((u) => u.waitingUntil === new Date(windowEnd).toISOString())).toBe(true);
    expect((await w2.status(m.memberId)).waitingUntil).toBe(new Date(windowEnd).toISOString());

    clock.set(windowEnd - 1);
    expect(await w2.worker.runDue()).toEqual(['waiting']);
    expect(apiCalls()).toBe(after429);
    clock.set(windowEnd + 1);
    for (let i = 0; i < 10 && activities().length < 3; i++) {
      await w2.worker.runDue();
      await w1.worker.runDue();
      clock.advance(1_000);
    }
    expect(activities()).toHaveLength(3);
    expect(new Set(activities().map((a) => a.externalId))).toEqual(new Set(ids.map((s) => `hrm-${s}.fit`)));
  });

  it('a window the usage headers say is full stops every process before Strava has to refuse', async () => {
    const { clock, emu, w1, w2, m, start, apiCalls, activities } = await setup(4);
    const ids = [await pushWorkout(m), await pushWorkout(m), await pushWorkout(m)];
    for (const sessionId of ids) await w1.uploadByHand(m.memberId, sessionId);
    for (let i = 0; i < 8; i++) {
      await w1.worker.runDue();
      await w2.worker.runDue();
      clock.advance(1_000);
    }
    expect(apiCalls()).toBe(4);
    expect(emu.state.calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(activities().length).toBeLessThan(3);
    expect((await w2.status(m.memberId)).waitingUntil).toBe(new Date(start + 5 * 60_000).toISOString());
    clock.set(start + 5 * 60_000 + 1);
    for (let i = 0; i < 12 && activities().length < 3; i++) {
      await w1.worker.runDue();
      await w2.worker.runDue();
      clock.advance(1_000);
    }
    expect(activities()).toHaveLength(3);
    expect(emu.state.calls.filter((c) => c.status === 429)).toHaveLength(0);
  });

  it('a server without Strava credentials: the feature is off and says so', async () => {
    const m = await signUp(server);
    expect((await m.c.get('/api/v1/strava/status')).body).toEqual({ configured: false });
    const connect = await m.c.get('/api/v1/strava/connect');
    expect(connect.headers.get('location')).toBe('/account?strava=error&reason=not_configured');
    const up = await m.c.post('/api/v1/strava/uploads', { sessionId: globalThis.crypto.randomUUID() });
    expect([up.status, up.body.error.code]).toEqual([404, 'strava_not_configured']);
  });
});
