import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  activitiesOf,
  adminClient,
  allTokens,
  connected,
  pushWorkout,
  refreshCalls,
  sameMemberOn,
  seen,
  startStravaEmulator,
  startStravaServer,
  uploadOf,
  uploadsOf,
  type StravaEmu,
} from './strava-support';

// Issue 16, exactly once: two sync-server processes on one PocketBase draining one queue, a
// process killed (SIGKILL) after Strava took its upload but before it heard back, and a token
// that Strava stops accepting in the middle of a batch.
let pb: TestPocketBase;
let emu: StravaEmu;
let a: TestServer;
let b: TestServer;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startStravaEmulator();
  [a, b] = await Promise.all([startStravaServer(pb, emu), startStravaServer(pb, emu)]);
  admin = await adminClient(pb);
});

afterAll(async () => {
  emu?.setHook(null);
  await Promise.all([a?.stop(), b?.stop()]);
  await emu?.close();
  await pb?.dispose();
});

const allDone = async (m: Parameters<typeof uploadOf>[0], ids: string[]) => (await Promise.all(ids.map((s) => uploadOf(m, s)))).every((u) => u?.state === 'done');

describe('two processes, one queue', () => {
  it('12 workouts synced through both processes, both workers running: 12 activities, 12 uploads, nothing twice', async () => {
    const m = await connected(a, emu, 'auto');
    const onB = sameMemberOn(m, b);
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => pushWorkout(i % 2 ? m : onB, { minutes: 3 })));
    // Both members' clicks too, on both processes, while the workers run.
    await Promise.all(ids.slice(0, 4).flatMap((sessionId) => [m.c.post('/api/v1/strava/uploads', { sessionId }), onB.c.post('/api/v1/strava/uploads', { sessionId })]));
    await expect.poll(() => allDone(m, ids), { timeout: 60_000, interval: 500 }).toBe(true);
    const acts = await activitiesOf(emu, m.athleteId);
    expect(acts).toHaveLength(12);
    expect(new Set(acts.map((x) => x.externalId))).toEqual(new Set(ids.map((s) => `hrm-${s}.fit`)));
    expect(await uploadsOf(emu, m.athleteId)).toHaveLength(12);
    // Both processes did some of the work.
    const holders = new Set((await admin.collection('strava_upload_jobs').getFullList({ filter: admin.filter('member = {:m}', { m: m.memberId }) })).map((j) => String(j.holder).split('-')[0]));
    expect(holders).toEqual(new Set([String(a.proc.pid), String(b.proc.pid)]));
  });

  it('kill -9 after Strava took the upload and before the answer, then restart: one activity', async () => {
    const m = await connected(a, emu, 'auto');
    let taken!: () => void;
    const uploadTaken = new Promise<void>((r) => (taken = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    emu.setHook(async (req, respond) => {
      if (req.method !== 'POST' || !new URL(req.url).pathname.endsWith('/api/v3/uploads')) return respond();
      const res = await respond(); // Strava has the upload…
      taken();
      await released; // …and the uploader dies before hearing back.
      return res;
    });
    const sessionId = await pushWorkout(m);
    await uploadTaken;
    const job = await admin.collection('strava_upload_jobs').getFirstListItem(admin.filter('session_id = {:s}', { s: sessionId }));
    expect(job).toMatchObject({ state: 'uploading', sent: true, upload_id: '' });
    const victim = String(job.holder).startsWith(`${a.proc.pid}-`) ? 'a' : 'b';
    const dead = victim === 'a' ? a : b;
    dead.proc.kill('SIGKILL');
    await dead.exited;
    emu.setHook(null);
    release();
    const restarted = await startStravaServer(pb, emu, {}, dead.port);
    if (victim === 'a') a = restarted;
    else b = restarted;
    await expect.poll(async () => (await uploadOf(sameMemberOn(m, restarted), sessionId))?.state, { timeout: 60_000, interval: 500 }).toBe('done');
    const acts = await activitiesOf(emu, m.athleteId);
    expect(acts).toHaveLength(1);
    expect(await uploadsOf(emu, m.athleteId)).toHaveLength(1);
    expect(await uploadOf(sameMemberOn(m, restarted), sessionId)).toMatchObject({ activityId: String(acts[0]!.id) });
  });

  it('Strava stops accepting the token in the middle of a batch on two processes: one refresh, every workout once', async () => {
    const m = await connected(a, emu, 'auto');
    const onB = sameMemberOn(m, b);
    const first = await Promise.all([pushWorkout(m), pushWorkout(onB)]);
    await expect.poll(() => allDone(m, first), { timeout: 60_000, interval: 500 }).toBe(true);
    const before = await refreshCalls(emu);
    // Six hours pass at Strava: the access token we hold has expired there.
    await emu.ctl('/clock', { advanceMs: 6 * 3600_000 + 60_000 });
    const rest = await Promise.all(Array.from({ length: 6 }, (_, i) => pushWorkout(i % 2 ? m : onB, { minutes: 3 })));
    await expect.poll(() => allDone(m, rest), { timeout: 60_000, interval: 500 }).toBe(true);
    expect((await refreshCalls(emu)) - before).toBe(1);
    expect(await activitiesOf(emu, m.athleteId)).toHaveLength(8);
    expect(await uploadsOf(emu, m.athleteId)).toHaveLength(8);
  });

  it('no token in any answer, cookie, redirect or log', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(0);
    const haystack = [seen.join('\n'), a.logs(), b.logs()].join('\n');
    expect(tokens.filter((t) => haystack.includes(t))).toEqual([]);
  });
});
