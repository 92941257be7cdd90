import { randomBytes } from 'node:crypto';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../intervals-emulator/emulator';
import { listenIntervalsEmulator, type RunningIntervalsEmulator } from '../intervals-emulator/serve';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import type { LiveSession } from '../../core/sync';
import type { Reading } from '../../core/workout';
import { RESTING_CHECK_PLAN_ID } from '../../core/workout/presets';
import { executedWorkout } from '../../core/workout/testing/executed-workout';
import { restingCheckRecording } from '../../core/workout/testing/resting-check-recording';
import { chunkPuts, liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { adminClient, pushWorkout, sameMemberOn, seen, signUp } from './strava-support';

// Issue 16, intervals.icu: a member connects with a personal API key (sealed through the grant
// engine, never in any answer or log line), workouts go up after they sync exactly once with two
// server processes draining one queue, a file intervals.icu already has counts as done, a 429
// stops every process for its Retry-After, wellness is written once per session (a resting
// check's measured resting HR and RMSSD, a workout's RMSSD only), and a key intervals.icu stops
// accepting asks the member to reconnect once.
const ATHLETES = Array.from({ length: 12 }, (_, i) => ({ id: `i${900 + i}`, name: `Rider ${i}`, apiKey: `${randomBytes(12).toString('hex')}k${i}` }));
const TOKEN_KEY = randomBytes(32).toString('base64');
let pb: TestPocketBase;
let emu: RunningIntervalsEmulator;
let a: TestServer;
let b: TestServer;
let admin: PocketBase;
let next = 0;

const env = () => ({
  INTERVALS_ENABLED: 'true',
  INTERVALS_API_URL: emu.apiUrl,
  INTERVALS_TOKEN_KEY: TOKEN_KEY,
  INTERVALS_UPLOAD_INTERVAL_MS: '250',
  INTERVALS_UPLOAD_LEASE_MS: '6000',
});

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await listenIntervalsEmulator({ athletes: ATHLETES, perSecond: 1000 });
  [a, b] = await Promise.all([startSyncServer({ pb, env: env() }), startSyncServer({ pb, env: env() })]);
  admin = await adminClient(pb);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await emu?.close();
  await pb?.dispose();
});

type Member = Awaited<ReturnType<typeof signUp>>;

async function connectedMember(mode: 'auto' | 'manual' | 'off' = 'manual', server = a) {
  const athlete = ATHLETES[next++]!;
  const m = await signUp(server);
  const r = await m.c.post('/api/v1/intervals/connect', { apiKey: athlete.apiKey });
  if (r.status !== 200) throw new Error(`connect: ${r.status} ${r.text}`);
  const p = await m.c.put('/api/v1/intervals/preferences', { mode });
  if (p.status !== 200) throw new Error(`preferences: ${p.status} ${p.text}`);
  return { ...m, athlete };
}

const uploadOf = async (m: Pick<Member, 'c'>, sessionId: string) => {
  const r = await m.c.get(`/api/v1/intervals/uploads?sessions=${sessionId}`);
  if (r.status !== 200) throw new Error(`uploads: ${r.status} ${r.text}`);
  return (r.body.uploads as { state: string; activityId: string | null; activityUrl: string | null; reason: string | null; error: string | null }[])[0] ?? null;
};
const activitiesOf = async (athleteId: string) => (await emu.ctl<{ id: string; athleteId: string; externalId: string | null; name: string }[]>('/activities')).filter((x) => x.athleteId === athleteId);
const uploadCalls = async () => (await emu.ctl<{ entries: { at: number; status: number; athleteId: string | null }[] }>('/calls?route=POST%20/api/v1/athlete/:id/activities')).entries;

describe('intervals.icu: connect with a personal API key', () => {
  it('a wrong key is refused with a typed error; a right one is stored sealed and never comes back', async () => {
    const athlete = ATHLETES[next++]!;
    const m = await signUp(a);
    expect((await m.c.get('/api/v1/intervals/status')).body).toMatchObject({ configured: true, state: 'not_connected', connected: false });
    const bad = await m.c.post('/api/v1/intervals/connect', { apiKey: 'not-a-real-key-123' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'intervals_invalid_key']);
    const ok = await m.c.post('/api/v1/intervals/connect', { apiKey: athlete.apiKey });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ configured: true, state: 'connected', connected: true, mode: 'off', wellness: false, settingsUrl: 'https://intervals.icu/settings' });
    // Another process reads the same grant.
    expect((await sameMemberOn(m, b).c.get('/api/v1/intervals/status')).body).toMatchObject({ state: 'connected' });
    // At rest: sealed (AES-GCM), not the key.
    const row = await admin.collection('intervals_grants').getOne(m.memberId);
    expect(String(row.access_token)).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(athlete.apiKey);
    // The key was checked at intervals.icu with Basic API_KEY:<key> on athlete 0.
    const checks = (await emu.ctl('/calls?route=GET%20/api/v1/athlete/:id')).entries as { status: number; athleteId: string | null }[];
    expect(checks.filter((e) => e.athleteId === athlete.id && e.status === 200)).toHaveLength(1);
    // Disconnect deletes our copy and says where to revoke the key.
    const off = await m.c.post('/api/v1/intervals/disconnect');
    expect(off.body).toEqual({ disconnected: true, settingsUrl: 'https://intervals.icu/settings' });
    expect((await m.c.get('/api/v1/intervals/status')).body).toMatchObject({ state: 'not_connected' });
    expect((await admin.collection('intervals_grants').getList(1, 1, { filter: admin.filter('id = {:id}', { id: m.memberId }) })).items).toHaveLength(0);
  });
});

describe('intervals.icu uploads', () => {
  it('after sync, every workout goes up exactly once with two processes draining the queue and clicks on both', async () => {
    const m = await connectedMember('auto');
    const onB = sameMemberOn(m, b);
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => pushWorkout(i % 2 ? m : onB, { minutes: 3 })));
    await Promise.all(ids.slice(0, 3).flatMap((sessionId) => [m.c.post('/api/v1/intervals/uploads', { sessionId }), onB.c.post('/api/v1/intervals/uploads', { sessionId })]));
    await expect.poll(async () => (await Promise.all(ids.map((s) => uploadOf(m, s)))).every((u) => u?.state === 'done'), { timeout: 60_000, interval: 500 }).toBe(true);
    const acts = await activitiesOf(m.athlete.id);
    expect(acts).toHaveLength(8);
    expect(new Set(acts.map((x) => x.externalId))).toEqual(new Set(ids.map((s) => `hrm-${s}.fit`)));
    expect((await uploadCalls()).filter((e) => e.athleteId === m.athlete.id)).toHaveLength(8);
    const u = await uploadOf(m, ids[0]!);
    expect(u!.activityUrl).toBe(`https://intervals.icu/activities/${u!.activityId}`);
  });

  it('a workout intervals.icu already has (same external_id) is a duplicate that counts as done, with the existing activity', async () => {
    const m = await connectedMember('manual');
    const sessionId = await pushWorkout(m, { minutes: 2 });
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('uploaded from another app')]), 'x.fit');
    form.set('external_id', `hrm-${sessionId}.fit`);
    const pre = (await (await fetch(`${emu.apiUrl}/athlete/0/activities`, { method: 'POST', body: form, headers: { Authorization: basicAuth(m.athlete.apiKey) } })).json()) as { id: string };
    const click = await m.c.post('/api/v1/intervals/uploads', { sessionId });
    expect(click.status).toBe(202);
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 300 }).toBe('duplicate');
    expect((await uploadOf(m, sessionId))!.activityId).toBe(pre.id);
    expect(await activitiesOf(m.athlete.id)).toHaveLength(1);
  });

  it('a 429 stops every process for its Retry-After (an app-wide back-off in PocketBase), then the upload goes', async () => {
    const m = await connectedMember('manual');
    const sessionId = await pushWorkout(m, { minutes: 2 });
    await emu.ctl('/faults', { route: 'POST /api/v1/athlete/:id/activities', statuses: [429], retryAfterSec: 3 });
    await m.c.post('/api/v1/intervals/uploads', { sessionId });
    await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000, interval: 300 }).toBe('done');
    const mine = (await uploadCalls()).filter((e) => e.athleteId === m.athlete.id || e.status === 429);
    const refused = mine.find((e) => e.status === 429)!;
    const sent = mine.filter((e) => e.status === 201 && e.athleteId === m.athlete.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at - refused.at).toBeGreaterThanOrEqual(3_000);
    // No upload of anyone's went to intervals.icu inside the window.
    expect((await uploadCalls()).filter((e) => e.at > refused.at && e.at < refused.at + 3_000)).toHaveLength(0);
    const blocks = await admin.collection('intervals_rate_blocks').getFullList({ filter: "reason = '429'" });
    expect(blocks.some((x) => Number(x.until) - Number(x.at) === 3_000)).toBe(true);
  });

  it('kill -9 after intervals.icu took the upload and before the answer, then restart: one activity, found by external_id, not sent again', async () => {
    const m = await connectedMember('auto');
    let taken!: () => void;
    const uploadTaken = new Promise<void>((r) => (taken = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    emu.setHook(async (req, respond) => {
      if (req.method !== 'POST' || !new URL(req.url).pathname.endsWith('/activities')) return respond();
      const res = await respond(); // intervals.icu has the activity…
      taken();
      await released; // …and the uploader dies before hearing back.
      return res;
    });
    const sessionId = await pushWorkout(m, { minutes: 2, startedAt: Date.now() - 10 * 60_000 });
    await uploadTaken;
    const job = await admin.collection('intervals_upload_jobs').getFirstListItem(admin.filter('session_id = {:s}', { s: sessionId }));
    expect(job).toMatchObject({ state: 'uploading', sent: true });
    const victim = String(job.holder).startsWith(`${a.proc.pid}-`) ? 'a' : 'b';
    const dead = victim === 'a' ? a : b;
    dead.proc.kill('SIGKILL');
    await dead.exited;
    emu.setHook(null);
    release();
    const restarted = await startSyncServer({ pb, env: env(), port: dead.port });
    if (victim === 'a') a = restarted;
    else b = restarted;
    await expect.poll(async () => (await uploadOf(sameMemberOn(m, restarted), sessionId))?.state, { timeout: 60_000, interval: 500 }).toBe('done');
    expect(await activitiesOf(m.athlete.id)).toHaveLength(1);
    expect((await uploadCalls()).filter((e) => e.athleteId === m.athlete.id)).toHaveLength(1);
  });

  it('a key intervals.icu stops accepting: the member is asked to reconnect, once, and no more calls are made with it', async () => {
    const m = await connectedMember('manual');
    const ids = [await pushWorkout(m, { minutes: 2 }), await pushWorkout(m, { minutes: 2 }), await pushWorkout(m, { minutes: 2 })];
    await emu.ctl('/revoke', { athleteId: m.athlete.id });
    for (const sessionId of ids) await m.c.post('/api/v1/intervals/uploads', { sessionId });
    await expect.poll(async () => (await Promise.all(ids.map((s) => uploadOf(m, s)))).map((u) => u?.reason), { timeout: 30_000, interval: 300 }).toEqual(['needs_reconnect', 'needs_reconnect', 'needs_reconnect']);
    expect((await m.c.get('/api/v1/intervals/status')).body).toMatchObject({ state: 'needs_reconnect', connected: false });
    const events = await admin.collection('intervals_grant_events').getFullList({ filter: admin.filter('grant = {:g} && kind = "failure"', { g: m.memberId }) });
    expect(events.map((e) => e.type)).toEqual(['auth']);
    const refusedCalls = (await emu.ctl('/calls')).entries.filter((e: { status: number; route: string }) => e.status === 401 && e.route.startsWith('POST'));
    expect(refusedCalls.length).toBeGreaterThanOrEqual(1);
    expect(refusedCalls.length).toBeLessThanOrEqual(2);
    // A click now is refused with a typed error, not queued.
    const again = await m.c.post('/api/v1/intervals/uploads', { sessionId: ids[0] });
    expect([again.status, again.body.error.code]).toEqual([409, 'intervals_needs_reconnect']);
  });
});

describe('intervals.icu wellness (opt-in)', () => {
  it("after a workout syncs, its RMSSD goes to that date's wellness, exactly once", async () => {
    const m = await connectedMember('off');
    const p = await m.c.put('/api/v1/intervals/preferences', { wellness: true });
    expect(p.body).toEqual({ mode: 'off', wellness: true });
    const startedAt = Date.UTC(2026, 10, 3, 6, 0, 0);
    const sessionId = await pushWorkout(m, { minutes: 3, startedAt });
    const putsFor = async () => ((await emu.ctl('/wellness')).puts as { athleteId: string; date: string; body: Record<string, number> }[]).filter((x) => x.athleteId === m.athlete.id);
    await expect.poll(async () => (await putsFor()).length, { timeout: 30_000, interval: 300 }).toBe(1);
    const [put] = await putsFor();
    expect(put!.date).toBe('2026-11-03');
    expect(put!.body.hrv).toBeGreaterThan(0);
    const job = await admin.collection('intervals_wellness_jobs').getFirstListItem(admin.filter('session_id = {:s}', { s: sessionId }));
    expect([job.state, job.activity_id]).toEqual(['done', '2026-11-03']);
    // A second workout that day is written once too; the first (done: never due again) is not sent again.
    const second = await pushWorkout(m, { minutes: 3, startedAt: startedAt + 4 * 3_600_000 });
    await expect.poll(async () => (await putsFor()).length, { timeout: 30_000, interval: 300 }).toBe(2);
    await expect.poll(async () => (await admin.collection('intervals_wellness_jobs').getFirstListItem(admin.filter('session_id = {:s}', { s: second }))).state, { timeout: 10_000 }).toBe('done');
    expect((await putsFor()).map((x) => x.date)).toEqual(['2026-11-03', '2026-11-03']);
    expect(await admin.collection('intervals_wellness_jobs').getFullList({ filter: admin.filter('member = {:m}', { m: m.memberId }) })).toHaveLength(2);
    // Nothing was uploaded: the upload choice is off.
    expect(await activitiesOf(m.athlete.id)).toHaveLength(0);
  });
});

/** A session as the PWA records it (execution record, plan id, readings) pushed through sync. */
async function pushRecorded(m: Pick<Member, 'c'>, rec: { startedAt: number; endedAt: number; readings: Reading[]; execution: LiveSession['execution'] }, plan: LiveSession['plan']) {
  const deviceId = `dev-${randomBytes(3).toString('hex')}`;
  const session: LiveSession = {
    ...liveSession({ startedAt: rec.startedAt, deviceId, title: plan?.name ?? 'Workout' }),
    plan,
    summary: { endedAt: rec.endedAt, durationMs: rec.endedAt - rec.startedAt, readingCount: rec.readings.length, avgBpm: 60, maxBpm: 80, energyKj: null },
    execution: rec.execution,
  };
  const readings = rec.readings.map((r) => ({ ...r, energyKj: null }));
  const r = await m.c.post('/api/v1/sync/push', pushBody(deviceId, [upsert(session), ...(await chunkPuts(session.id, readings, 120))]));
  if (r.status !== 200 || r.body.results.some((x: { status: string }) => x.status === 'rejected')) throw new Error(`push: ${r.status} ${r.text}`);
  return session.id;
}

describe('intervals.icu wellness: a measured resting HR, never the profile value', () => {
  it("a synced resting check writes its measured resting HR and RMSSD to its local date; a workout only its RMSSD", async () => {
    const m = await connectedMember('off');
    await m.c.put('/api/v1/intervals/preferences', { wellness: true });
    const putsFor = async () => ((await emu.ctl('/wellness')).puts as { athleteId: string; date: string; body: Record<string, number> }[]).filter((x) => x.athleteId === m.athlete.id);
    // 23:50 UTC on 2 Nov is 00:50 on 3 Nov where it was recorded (UTC+1).
    const check = restingCheckRecording({ restingHr: 49, startedAt: Date.UTC(2026, 10, 2, 23, 50), tzOffsetMinutes: 60 });
    await pushRecorded(m, check, { planId: RESTING_CHECK_PLAN_ID, name: 'Resting check' });
    await expect.poll(async () => (await putsFor()).length, { timeout: 30_000, interval: 300 }).toBe(1);
    const [first] = await putsFor();
    expect(first!.date).toBe('2026-11-03');
    expect(Object.keys(first!.body).sort()).toEqual(['hrv', 'restingHR']);
    // Measured (49), not the profile value the check was recorded with (52).
    expect(first!.body.restingHR).toBe(49);
    expect(check.execution.profile.restingHr).toBe(52);
    expect(first!.body.hrv).toBeGreaterThan(0);

    // A workout later that day (its profile says resting HR 52): its RMSSD only.
    const workout = executedWorkout({ startedAt: Date.UTC(2026, 10, 3, 17, 0), tzOffsetMinutes: 60 });
    await pushRecorded(m, workout, { planId: 'intervals', name: 'Tabata' });
    await expect.poll(async () => (await putsFor()).length, { timeout: 30_000, interval: 300 }).toBe(2);
    const second = (await putsFor())[1]!;
    expect(second.date).toBe('2026-11-03');
    expect(Object.keys(second.body)).toEqual(['hrv']);
  });
});

describe('no secret leaks', () => {
  it('no API key in any response, cookie, redirect or server log line', () => {
    for (const x of ATHLETES) {
      for (const text of seen) expect(text.includes(x.apiKey)).toBe(false);
      expect(a.logs().includes(x.apiKey)).toBe(false);
      expect(b.logs().includes(x.apiKey)).toBe(false);
    }
    expect(a.logs()).toContain('intervals.icu configured');
  });
});
