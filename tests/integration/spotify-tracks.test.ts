import PocketBase from 'pocketbase';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponseSchema, type LiveSession, type Reading } from '../../core/sync';
import { createSpotifyService, type SpotifyService } from '../../sync-server/src/spotify/service';
import { deriveKeyId, parseTokenKey } from '../../sync-server/src/spotify/token-cipher';
import { chunkPuts, liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import {
  adminClient,
  allTokens,
  calls,
  CLIENT,
  connected,
  leaks,
  recordingClient,
  seen,
  sleep,
  startEmulator,
  startSpotifyServer,
  TOKEN_KEY,
  type Emulator,
  type Member,
} from './spotify-support';

// Tracks of every workout (spotify-emulator.md §2.7 scenario 11): a session synced through the
// real sync API, plays inserted in the emulator backdated (offline device) and late (ingestion
// lag), the job run by an in-process "second server" on the same PocketBase with a short
// schedule, and the results read through the real server's endpoints.
const RP = 'GET /v1/me/player/recently-played';
const TRACK = {
  warmup: '4uLU6hMCjMI75M1A2tKUQC', // 180 s
  threshold: '7ouMYWpwJ422jRcDASZB7P', // 215 s
  cadence: '0VjIjW4GlUZAMYd2vXMi3b', // 200 s
  hills: '3n3Ppam7vgaVa1iaRUc9Lp', // 240 s
  sprint: '6rqhFgbbKwnb9MLmUQDhG6', // 150 s
  tabata: '2takcwOaAZWiXQijPHIx7B', // 190 s
  cooldown: '5ghIJDpPoe3CfHMGu71E6T', // 260 s
  stretch: '1301WleyT98MSxVHPZCA6M', // 230 s
};
const MIN = 60_000;

let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let admin: PocketBase;
const extraLogs: string[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
  admin = await adminClient(pb);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

/** The job runner as another server process would run it, with a short re-check schedule. */
async function jobRunner(): Promise<SpotifyService> {
  const client = new PocketBase(pb.url);
  client.autoCancellation(false);
  await client.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
  const key = parseTokenKey(TOKEN_KEY)!;
  return createSpotifyService({
    config: {
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: `${server.url}/api/v1/spotify/callback`,
      accountsUrl: emu.accountsUrl,
      apiUrl: emu.apiUrl,
      tokenKey: { id: deriveKeyId(key), key },
      previousTokenKeys: [],
      callsPer30s: 1000,
      jobIntervalMs: 60_000,
    },
    pb: client,
    logger: pino({ level: 'silent' }),
    tracks: { recheckOffsetsMs: [0, 1_000, 2_000, 3_000] },
  });
}

/** 1 Hz readings: 120 bpm for the first 15 minutes, 160 after, one 181 spike at minute 20. */
function readingsFor(startedAt: number, minutes: number): Reading[] {
  return Array.from({ length: minutes * 60 + 1 }, (_, i) => ({
    t: startedAt + i * 1000,
    bpm: i === 20 * 60 ? 181 : i < 15 * 60 ? 120 : 160,
    rr1024: [],
    contact: 'detected' as const,
    energyKj: null,
  }));
}

/** Pushes a finished session with its readings through the real sync API. */
async function syncSession(m: Member, startedAt: number, minutes: number) {
  const base = liveSession({ startedAt, deviceId: 'phone-1', title: 'Tempo run' });
  const readings = readingsFor(startedAt, minutes);
  const session: LiveSession = {
    ...base,
    summary: { endedAt: startedAt + minutes * MIN, durationMs: minutes * MIN, readingCount: readings.length, avgBpm: 140, maxBpm: 181, energyKj: null },
  };
  const r = await m.c.post('/api/v1/sync/push', pushBody('phone-1', [upsert(session), ...(await chunkPuts(session.id, readings, 300))]));
  expect(r.status, r.text).toBe(200);
  expect(PushResponseSchema.parse(r.body).results.every((x) => x.status === 'applied')).toBe(true);
  return { session, readings, endedAt: startedAt + minutes * MIN };
}

const offline = (m: Member, plays: { trackId: string; startedAt: number; durationMs?: number }[], lagMs = 0) =>
  emu.ctl('/offline-plays', { user: m.spotifyUser, plays, lagMs });

async function jobOf(memberId: string, sessionId: string) {
  const r = await admin.collection('spotify_track_jobs').getList(1, 1, { filter: admin.filter('member = {:m} && session_id = {:s}', { m: memberId, s: sessionId }) });
  return r.items[0] ?? null;
}

/**
 * Time passes for the job: its next look is due now. (The server's own loop may run the same
 * job meanwhile; the lease lets only one run, so a pass is repeated until the run happened.)
 */
async function nextLook(runner: SpotifyService, memberId: string, sessionId: string) {
  const before = (await jobOf(memberId, sessionId))?.runs ?? 0;
  for (let i = 0; i < 20; i++) {
    const job = await jobOf(memberId, sessionId);
    if (job && job.runs > before) return job;
    if (job && job.state === 'pending') await admin.collection('spotify_track_jobs').update(job.id, { next_run_at: 1 });
    await runner.tracksPass();
    await sleep(50);
  }
  throw new Error('the job did not run');
}

const tracksOf = (m: Member, sessionId: string) => m.c.get(`/api/v1/spotify/sessions/${sessionId}/tracks`);

/** Expected average and peak of readings inside [from, to], computed here independently. */
function expectedHr(readings: Reading[], from: number, to: number) {
  const inside = readings.filter((r) => r.t >= from && r.t <= to).map((r) => r.bpm);
  return { avgBpm: Math.round((inside.reduce((a, b) => a + b, 0) / inside.length) * 10) / 10, peakBpm: Math.max(...inside) };
}

describe('tracks of a synced workout', () => {
  let runner: SpotifyService;
  let m: Member;
  let s: Awaited<ReturnType<typeof syncSession>>;

  beforeAll(async () => {
    runner = await jobRunner();
    m = await connected(server, emu);
    // Nothing plays on its own during the test: every history entry is scripted.
    await emu.ctl('/playback', { user: m.spotifyUser, isPlaying: false });
  });

  it('matches plays with slack, dedupes, finds late entries on a later look, with HR per track', async () => {
    const S = Date.now() - 40 * MIN;
    s = await syncSession(m, S, 30);
    const E = s.endedAt;
    await offline(m, [
      { trackId: TRACK.warmup, startedAt: S - 5 * MIN }, // ended 2 min before the start: no
      { trackId: TRACK.threshold, startedAt: S - 215_000 - 10_000 }, // ended 10 s before: the slack
      { trackId: TRACK.cadence, startedAt: S - 100_000 }, // straddles the start
      { trackId: TRACK.hills, startedAt: S + 5 * MIN },
      { trackId: TRACK.hills, startedAt: S + 5 * MIN }, // the same play reported twice
      { trackId: TRACK.sprint, startedAt: S + 14 * MIN }, // 120 → 160 bpm
      { trackId: TRACK.tabata, startedAt: S + 19 * MIN }, // holds the 181 spike
      { trackId: TRACK.cooldown, startedAt: E + 2 * MIN }, // after the end: no
    ]);
    // An offline device syncs its play 10 minutes late.
    await offline(m, [{ trackId: TRACK.stretch, startedAt: S + 25 * MIN }], 10 * MIN);

    const first = await nextLook(runner, m.memberId, s.session.id);
    expect(first.runs).toBe(1);
    let r = await tracksOf(m, s.session.id);
    expect(r.status, r.text).toBe(200);
    expect(r.body.state).toBe('checking');
    expect(r.body.incomplete).toBe(false);
    const names = (b: { tracks: { name: string }[] }) => b.tracks.map((t) => t.name);
    expect(names(r.body)).toEqual(['Threshold', 'Cadence 160', 'Hill Repeats', 'Sprint Finish', 'Tabata Drop']);

    const at = (name: string) => r.body.tracks.find((t: { name: string }) => t.name === name);
    expect(at('Cadence 160')).toMatchObject({ avgBpm: 120, peakBpm: 120, trackId: TRACK.cadence, durationMs: 200_000 });
    expect(at('Cadence 160').playedAt).toBe(new Date(S + 100_000).toISOString());
    expect(at('Hill Repeats')).toMatchObject({ avgBpm: 120, peakBpm: 120 });
    expect(at('Sprint Finish')).toMatchObject(expectedHr(s.readings, S + 14 * MIN, S + 14 * MIN + 150_000));
    expect(at('Sprint Finish').avgBpm).toBeGreaterThan(120);
    expect(at('Tabata Drop')).toMatchObject({ ...expectedHr(s.readings, S + 19 * MIN, S + 19 * MIN + 190_000), peakBpm: 181 });

    // Ten minutes later the late entry is visible; the next look finds it.
    await emu.ctl('/clock', { advanceMs: 11 * MIN });
    await nextLook(runner, m.memberId, s.session.id);
    r = await tracksOf(m, s.session.id);
    expect(names(r.body)).toEqual(['Threshold', 'Cadence 160', 'Hill Repeats', 'Sprint Finish', 'Tabata Drop', 'Stretch']);
    expect(at('Stretch')).toMatchObject({ avgBpm: 160, peakBpm: 160 });

    // The remaining looks find nothing new, then the job is done.
    await nextLook(runner, m.memberId, s.session.id);
    const last = await nextLook(runner, m.memberId, s.session.id);
    expect(last.state).toBe('done');
    r = await tracksOf(m, s.session.id);
    expect(r.body.state).toBe('done');
    expect(r.body.tracks).toHaveLength(6);
  });

  it('ranks power songs by average heart rate while played, with play counts', async () => {
    const r = await m.c.get('/api/v1/spotify/power-songs');
    expect(r.status, r.text).toBe(200);
    const songs = r.body.songs as { name: string; avgBpm: number; plays: number; sessions: number }[];
    expect(songs[0]!.name).toBe('Tabata Drop');
    const avgs = songs.map((x) => x.avgBpm);
    expect(avgs).toEqual([...avgs].sort((a, b) => b - a));
    // Threshold overlapped by one reading: too little to rank.
    expect(songs.map((x) => x.name).sort()).toEqual(['Cadence 160', 'Hill Repeats', 'Sprint Finish', 'Stretch', 'Tabata Drop']);
    expect(songs.every((x) => x.plays === 1 && x.sessions === 1)).toBe(true);
  });

  it('shows a session only to its owner: another member gets 404', async () => {
    const other = await connected(server, emu);
    expect((await tracksOf(other, s.session.id)).status).toBe(404);
    expect((await tracksOf(other, s.session.id)).body.error.code).toBe('not_found');
    expect((await tracksOf(m, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await tracksOf(m, 'not-a-session')).status).toBe(404);
    expect((await other.c.get('/api/v1/spotify/power-songs')).body).toEqual({ songs: [] });
  });

  it('marks a session older than the 50-play window as "tracks may be incomplete"', async () => {
    const old = await connected(server, emu);
    await emu.ctl('/playback', { user: old.spotifyUser, isPlaying: false });
    const S = Date.now() - 5 * 3_600_000;
    const synced = await syncSession(old, S, 30);
    const later = Array.from({ length: 55 }, (_, i) => ({ trackId: TRACK.warmup, startedAt: synced.endedAt + MIN + i * 180_000 }));
    await offline(old, later);
    await nextLook(runner, old.memberId, synced.session.id);
    const r = await tracksOf(old, synced.session.id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ incomplete: true, tracks: [] });
  });

  it('is idempotent after a restart, and two runners never run one job twice', async () => {
    await server.stop();
    extraLogs.push(server.logs());
    server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
    // Same member, same sign-in, new process (on a new port).
    const c = recordingClient(server.url);
    for (const [k, v] of m.c.jar) c.jar.set(k, v);
    m = { ...m, c, server };
    const before = (await tracksOf(m, s.session.id)).body.tracks;
    expect(before).toHaveLength(6);

    // The job starts over (as if its state had been lost mid-way): two fresh runners race.
    const job = (await jobOf(m.memberId, s.session.id))!;
    await admin.collection('spotify_track_jobs').update(job.id, { state: 'pending', runs: 0, next_run_at: 1 });
    const rpBefore = await calls(emu, m.spotifyUser, RP);
    const [a, b] = await Promise.all([jobRunner(), jobRunner()]);
    await Promise.all([a.tracksPass(), b.tracksPass()]);
    expect(await calls(emu, m.spotifyUser, RP)).toBe(rpBefore + 1);
    expect((await jobOf(m.memberId, s.session.id))!.runs).toBe(1);

    const after = (await tracksOf(m, s.session.id)).body.tracks;
    expect(after).toEqual(before);
    const rows = await admin.collection('spotify_session_tracks').getFullList({ filter: admin.filter('session_id = {:s}', { s: s.session.id }) });
    expect(rows).toHaveLength(6);
  });

  it('never shows a token in any response or log', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leaks(tokens, [...seen, server.logs(), ...extraLogs])).toEqual([]);
  });
});
