import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import { activitiesOf, adminClient, connected, pushWorkout, startStravaEmulator, startStravaServer, uploadOf, type StravaEmu, type StravaMember } from './strava-support';

// Issue 16: an activity's description names the workout's power songs — what the Spotify job
// stored for the workout (spotify_session_tracks), read by the server's upload worker — and an
// upload waits (a bounded time) while Spotify is connected and its job has not recorded the
// workout yet. A real sync-server process, a real PocketBase and the Strava emulator; the
// Spotify job's rows are written as that job writes them.
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

const MIN = 60_000;

/** A track row as the Spotify job stores it (sync-server/src/spotify/pb-annotate-store.ts). */
const track = (m: StravaMember, sessionId: string, i: number, name: string, startAt: number, avgBpm: number) =>
  admin.collection('spotify_session_tracks').create({
    member: m.memberId,
    session_id: sessionId,
    track_id: `t${i}`,
    track_uri: `spotify:track:t${i}`,
    name,
    artists: ['The Band'],
    start_at: startAt,
    played_at: startAt + 2 * MIN,
    duration_ms: 2 * MIN,
    avg_bpm: avgBpm,
    peak_bpm: avgBpm + 10,
    samples: 120,
  });

async function uploadedDescription(m: StravaMember, sessionId: string): Promise<string> {
  await expect.poll(async () => (await uploadOf(m, sessionId))?.state, { timeout: 30_000 }).toBe('done');
  const a = (await activitiesOf(emu, m.athleteId)).find((x) => x.externalId === `hrm-${sessionId}.fit`);
  return (a?.description ?? '').replace(/\r\n/g, '\n');
}

describe('Strava descriptions with power songs', () => {
  it('lists the songs that carried the workout (a stopwatch workout: the highest heart rate first)', async () => {
    const m = await connected(server, emu, 'manual');
    const startedAt = Date.now() - 60 * MIN;
    const sessionId = await pushWorkout(m, { minutes: 6, startedAt, title: 'Music run' });
    await track(m, sessionId, 1, 'Slow Start', startedAt, 120);
    await track(m, sessionId, 2, 'Peak Hour', startedAt + 2 * MIN, 171);
    await track(m, sessionId, 3, 'Middle Ground', startedAt + 4 * MIN, 150);
    expect((await m.c.post('/api/v1/strava/uploads', { sessionId })).status).toBe(202);
    const d = await uploadedDescription(m, sessionId);
    expect(d).toContain('Power songs:\n♪ Peak Hour — The Band (avg 171 bpm)\n♪ Middle Ground — The Band (avg 150 bpm)\n♪ Slow Start — The Band (avg 120 bpm)');
    expect(d.endsWith('Recorded with HRM')).toBe(true);
  });

  it('waits while Spotify has not recorded the workout yet, then names its songs', async () => {
    const m = await connected(server, emu, 'manual');
    // The member's Spotify is connected (the grant row the Spotify feature keeps).
    await admin.collection('spotify_grants').create({ id: m.memberId, member: m.memberId, access_token: 'sealed', refresh_token: 'sealed', key_id: 'k', status: 'ok' });
    const startedAt = Date.now() - 30 * MIN;
    const sessionId = await pushWorkout(m, { minutes: 4, startedAt, title: 'Waits for music' });
    expect((await m.c.post('/api/v1/strava/uploads', { sessionId })).status).toBe(202);
    await expect.poll(async () => (await uploadOf(m, sessionId))?.reason, { timeout: 20_000 }).toBe('waiting_music');
    expect(await uploadOf(m, sessionId)).toMatchObject({ state: 'queued' });
    expect(await activitiesOf(emu, m.athleteId)).toEqual([]);

    // The Spotify job records the workout's tracks and finishes.
    await track(m, sessionId, 1, 'Late Arrival', startedAt, 160);
    await admin.collection('spotify_track_jobs').create({ member: m.memberId, session_id: sessionId, state: 'done', runs: 1, attempts: 0, created_at: Date.now(), next_run_at: 0, last_run_at: Date.now(), incomplete: false });
    const d = await uploadedDescription(m, sessionId);
    expect(d).toContain('Power songs:\n♪ Late Arrival — The Band (avg 160 bpm)');
    expect((await activitiesOf(emu, m.athleteId)).length).toBe(1);
  });
});
