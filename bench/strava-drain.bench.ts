/**
 * 300 queued workouts through the Strava emulator at its default limits (200 requests / 15 min
 * and 2,000 / day overall; 100 / 15 min and 1,000 / day for reads; 2 s processing per upload):
 * how long the queue takes to drain in Strava's (emulated) time and on the wall clock, how many
 * Strava requests each upload costs, and that no workout became two activities.
 *
 * Real PocketBase and a real sync-server process (the workouts are pushed through its sync API,
 * as the PWA does); two upload workers as two server processes have them (each its own
 * PocketBase client and memory, the real feature code) run against the in-process emulator. The
 * emulator and both workers share one manual clock, so Strava's 15-minute windows pass without
 * waiting: a worker's sleep moves the clock, and when every worker waits for a window the bench
 * moves the clock to the window's end (the time the rate gate stored in PocketBase).
 * Run: node --import tsx bench/strava-drain.bench.ts   (MEMBERS=10 WORKOUTS=30 by default)
 */
import pino from 'pino';
import { createPbStravaStores, createStravaFeature } from '../sync-server/src/strava/feature';
import { createStravaHttp } from '../sync-server/src/strava/http';
import { createStravaUploadsApi } from '../sync-server/src/strava/uploads-api';
import { createRateGate } from '../sync-server/src/uploads/rate-gate';
import { createManualClock } from '../tests/spotify-emulator/clock';
import { createStravaEmulator } from '../tests/strava-emulator/emulator';
import { adminClient, ATHLETES, CLIENT, pushWorkout, signUp } from '../tests/integration/strava-support';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const MEMBERS = Number(process.env.MEMBERS ?? 10);
const WORKOUTS = Number(process.env.WORKOUTS ?? 30);
const TOTAL = MEMBERS * WORKOUTS;
const QUARTER = 15 * 60_000;

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb, env: { LOG_LEVEL: 'warn' } });
try {
  // Emulated time starts at the beginning of a 15-minute window, at 06:00 UTC (far from midnight).
  const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const start = day + 6 * 3_600_000;
  const clock = createManualClock(start);
  const emu = createStravaEmulator({ clients: [CLIENT], athletes: ATHLETES, clock });
  const fetchEmu = (async (input: string | URL | Request, init?: RequestInit) => emu.app.request(String(input), init)) as typeof fetch;
  const config = {
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    redirectUri: 'http://127.0.0.1/api/v1/strava/callback',
    oauthUrl: 'http://emu/oauth',
    apiUrl: 'http://emu/api/v3',
    tokenKey: { id: 'k1', key: Buffer.alloc(32, 7) },
    uploadIntervalMs: 1000,
    uploadLeaseMs: 120_000,
    uploadPollMs: 1000,
  };
  const process_ = async (name: string) => {
    const pbc = await adminClient(pb);
    const stores = createPbStravaStores(pbc, name);
    const feature = createStravaFeature({
      config,
      stores,
      logger: pino({ level: 'silent' }),
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
      http: createStravaHttp(config, { fetch: fetchEmu, now: clock.now }),
      api: createStravaUploadsApi(config.apiUrl, { fetch: fetchEmu }),
      holder: name,
    });
    return { feature, stores, rate: createRateGate(stores.uploads, clock.now) };
  };
  const [p1, p2] = [await process_('process-1'), await process_('process-2')];

  // Members connect through the OAuth flow (the emulator's consent screen approves) and choose
  // "every workout"; then their workouts sync through the server.
  const t0 = performance.now();
  const members = [];
  for (let i = 0; i < MEMBERS; i++) {
    const m = await signUp(server);
    const session = { id: `browser-${i}`, userId: m.memberId };
    const url = new URL(await p1.feature.connect.start(session));
    emu.state.consents.push({ athleteId: m.athleteId, decision: 'approve' });
    const back = new URL((await emu.app.request(`${url.pathname}${url.search}`)).headers.get('location')!);
    const done = await p1.feature.connect.finish(session, { state: back.searchParams.get('state')!, code: back.searchParams.get('code')!, scope: back.searchParams.get('scope')! });
    if (!done.ok) throw new Error(`connect failed: ${JSON.stringify(done)}`);
    await p1.feature.setMode(m.memberId, 'auto');
    members.push(m);
  }
  const sessionIds: string[] = [];
  for (const m of members) for (let w = 0; w < WORKOUTS; w++) sessionIds.push(await pushWorkout(m, { minutes: 5, title: `Workout ${w + 1}` }));
  const found = await p1.feature.worker.discover(() => p1.stores.uploads.autoMembers());
  const setupS = (performance.now() - t0) / 1000;
  if (found !== TOTAL) throw new Error(`queued ${found} of ${TOTAL}`);

  // Drain: both processes run their due jobs at once, like two servers' passes.
  const apiCalls = () => emu.state.calls.filter((c) => c.route.includes('/api/v3/'));
  const callsBefore = apiCalls().length;
  const finished = new Map<string, number>();
  let passes = 0;
  let windowWaits = 0;
  const w0 = performance.now();
  const drainStart = clock.now();
  while (finished.size < TOTAL && passes < 20_000) {
    passes++;
    const [r1, r2] = await Promise.all([p1.feature.worker.runDue(), p2.feature.worker.runDue()]);
    const outcomes = [...r1, ...r2];
    if (outcomes.some((o) => o === 'done' || o === 'duplicate' || o === 'failed')) {
      for (const m of members) for (const j of await p1.stores.uploads.ofMember(m.memberId, { limit: 200 })) if (['done', 'duplicate', 'failed'].includes(j.state)) finished.set(j.sessionId, j.finishedAt);
    }
    const block = await p1.rate.waitUntil();
    if (block) {
      windowWaits++;
      clock.set(block.until + 1);
    } else if (outcomes.every((o) => o === 'skipped' || o === 'waiting') || outcomes.length === 0) clock.advance(1_000);
  }
  const drainWallS = (performance.now() - w0) / 1000;
  const drainEmuMs = Math.max(...finished.values()) - drainStart;

  // Exactly once: one activity per workout at Strava, found by external_id.
  const activities = [...emu.state.activities.values()];
  const byExternal = new Map<string, number>();
  for (const a of activities) byExternal.set(a.externalId ?? '', (byExternal.get(a.externalId ?? '') ?? 0) + 1);
  const duplicates = [...byExternal.values()].filter((n) => n > 1).reduce((s, n) => s + n - 1, 0);
  const missing = sessionIds.filter((id) => !byExternal.has(`hrm-${id}.fit`)).length;
  const jobs = (await Promise.all(members.map((m) => p1.stores.uploads.ofMember(m.memberId, { limit: 200 })))).flat();
  const states: Record<string, number> = {};
  for (const j of jobs) states[j.state] = (states[j.state] ?? 0) + 1;
  const calls = apiCalls().slice(callsBefore);
  const byRoute: Record<string, number> = {};
  for (const c of calls) byRoute[c.route] = (byRoute[c.route] ?? 0) + 1;
  const refused = calls.filter((c) => c.status === 429).length;
  const tokenCalls = emu.state.calls.filter((c) => c.route === 'POST /oauth/token' && c.grantType === 'refresh_token').length;

  const min = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
  console.log(`Strava drain: ${TOTAL} workouts (${MEMBERS} members × ${WORKOUTS}), 2 upload workers, emulator defaults (200/15 min, 2000/day; reads 100/15 min, 1000/day; 2 s processing)`);
  console.log(`  set-up (sign-up, connect, sync push of ${TOTAL} workouts): ${setupS.toFixed(1)} s wall`);
  console.log(`  time to drain:   ${min(drainEmuMs)} emulated (${(drainEmuMs / QUARTER).toFixed(2)} Strava 15-min windows), ${drainWallS.toFixed(1)} s wall`);
  console.log(`  window waits:    ${windowWaits} (the workers stopped for a full window), worker passes: ${passes}`);
  console.log(`  Strava API requests: ${calls.length} → ${(calls.length / TOTAL).toFixed(2)} per upload   ${JSON.stringify(byRoute)}`);
  console.log(`  429 answers: ${refused}   token refreshes: ${tokenCalls}`);
  console.log(`  jobs: ${JSON.stringify(states)}`);
  console.log(`  activities at Strava: ${activities.length}, duplicates by external_id: ${duplicates}, workouts without an activity: ${missing}`);
  if (duplicates > 0 || missing > 0 || activities.length !== TOTAL) process.exitCode = 1;
} finally {
  await server.stop();
  await pb.dispose();
}
