import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomMusicSchema } from '../../core/rooms';
import { tabataPlan } from '../../core/workout';
import { newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';
import { newDeviceId } from './rooms-support';
import {
  adminClient,
  allTokens,
  calls,
  connected,
  expireNowPlaying,
  leaks,
  newSpotifyMember,
  recordingClient,
  seen,
  startEmulator,
  startSpotifyServer,
  type Emulator,
  type Member,
} from './spotify-support';

// Class mode's music: the room plays its owner's Spotify. Displays read it with their token,
// the coach and co-coaches read and control it (acting on the owner's player in the emulator),
// nobody else gets anything, and no Spotify token is in any answer or log line.
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let admin: PocketBase;

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

type Client = ReturnType<typeof recordingClient>;
const music = (roomId: string) => `/api/v1/rooms/${roomId}/music`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const playback = (m: Member) => emu.ctl(`/playback?user=${m.spotifyUser}`);

/** A signed-in member with no Spotify of their own; every answer is recorded for the leak scan. */
async function member() {
  const m = newMember('rm');
  const c = recordingClient(server.url);
  expect((await c.post('/api/v1/auth/register', m)).status).toBe(202);
  const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
  expect(login.status).toBe(200);
  return { c, m, id: login.body.user.id as string };
}

async function roomOf(owner: Client) {
  const r = await owner.post('/api/v1/rooms', { name: 'Spin at six', plan: tabataPlan(4) });
  expect(r.status).toBe(201);
  const room = r.body.room as { id: string; joinCode: string };
  const d = await owner.post(`/api/v1/rooms/${room.id}/displays`, { name: 'Big screen' });
  expect(d.status).toBe(201);
  return { room, display: d.body as { display: { id: string }; token: string } };
}

/** A connected owner with a room, a display, and a co-coach without Spotify. */
async function classWithMusic() {
  const owner = await connected(server, emu);
  const { room, display } = await roomOf(owner.c);
  const helper = await member();
  // Co-coaches are invited and accept from their own (confirmed) account.
  expect((await owner.c.post(`/api/v1/rooms/${room.id}/co-coaches`, { email: helper.m.email })).status).toBe(202);
  await admin.collection('users').update(helper.id, { verified: true });
  const invitation = (await helper.c.get('/api/v1/rooms/invitations')).body.invitations.find((i: any) => i.room.id === room.id);
  expect((await helper.c.post(`/api/v1/rooms/invitations/${invitation.id}/accept`)).status).toBe(200);
  const screen = recordingClient(server.url);
  return { owner, room, display, helper, screen };
}

const expectError = (r: { status: number; body: any }, status: number, code: string) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error).toMatchObject({ code, message: expect.any(String) });
};

describe('class mode: the room’s music', () => {
  it('a display reads the owner’s now playing (track, artists, progress, device); 40 displays cost one Spotify call', async () => {
    const { owner, room, display, helper, screen } = await classWithMusic();
    const r = await screen.get(music(room.id), bearer(display.token));
    expect(r.status).toBe(200);
    expect(RoomMusicSchema.strict().safeParse(r.body).success).toBe(true);
    const now = await playback(owner);
    expect(r.body).toMatchObject({
      type: 'track',
      isPlaying: true,
      durationMs: now.item.durationMs,
      item: { name: now.item.name, artists: ['Tempo Club'], album: 'Run Club Vol. 1', albumArtUrl: null },
      device: { name: 'Phone', volumePercent: 60, supportsVolume: true },
      stale: false,
      degraded: null,
    });
    expect(r.body.progressMs).toBeGreaterThanOrEqual(10_000);
    expect(Math.abs(r.body.serverTime - Date.now())).toBeLessThan(5_000);
    // The co-coach reads the same music with their session.
    const coCoach = await helper.c.get(music(room.id));
    expect(coCoach.status).toBe(200);
    expect(coCoach.body.item.name).toBe(now.item.name);

    // Forty screens polling at once: one Spotify call, through the shared now-playing cache.
    await expireNowPlaying(admin, owner.memberId);
    const before = await calls(emu, owner.spotifyUser, 'GET /v1/me/player');
    const polls = await Promise.all(Array.from({ length: 40 }, () => screen.get(music(room.id), bearer(display.token))));
    expect(polls.map((p) => p.status)).toEqual(Array(40).fill(200));
    expect(await calls(emu, owner.spotifyUser, 'GET /v1/me/player')).toBe(before + 1);
    // The room reads the player state (which names the device), never the member bar's endpoint.
    expect(await calls(emu, owner.spotifyUser, 'GET /v1/me/player/currently-playing')).toBe(0);
  });

  it('a co-coach pauses, skips, plays and sets the volume on the owner’s Spotify; displays see it', async () => {
    const { owner, room, display, helper, screen } = await classWithMusic();
    const first = (await playback(owner)).item.name as string;

    const pause = await helper.c.post(`${music(room.id)}/pause`);
    expect(pause.status, pause.text).toBe(200);
    expect(pause.body).toEqual({ ok: true });
    expect((await playback(owner)).isPlaying).toBe(false);
    // The command invalidated the shared cache: the next display poll says paused.
    expect((await screen.get(music(room.id), bearer(display.token))).body.isPlaying).toBe(false);

    expect((await helper.c.post(`${music(room.id)}/next`)).status).toBe(200);
    // Spotify applies a skip a moment later (P10).
    await expect.poll(async () => (await playback(owner)).item.name, { timeout: 5_000 }).not.toBe(first);
    const second = (await playback(owner)).item.name as string;
    await expect
      .poll(async () => {
        await expireNowPlaying(admin, owner.memberId);
        return (await screen.get(music(room.id), bearer(display.token))).body.item?.name;
      })
      .toBe(second);

    expect((await owner.c.post(`${music(room.id)}/previous`)).status).toBe(200);
    await expect.poll(async () => (await playback(owner)).item.name, { timeout: 5_000 }).toBe(first);

    expect((await helper.c.post(`${music(room.id)}/play`)).status).toBe(200);
    expect((await playback(owner)).isPlaying).toBe(true);
    // Pressing play again is harmless (Spotify's "Restriction violated" is a no-op success).
    expect((await helper.c.post(`${music(room.id)}/play`)).status).toBe(200);

    const volume = await helper.c.request('PUT', `${music(room.id)}/volume`, { percent: 25 });
    expect(volume.status, volume.text).toBe(200);
    const phone = (await playback(owner)).devices.find((d: { id: string }) => d.id === `${owner.spotifyUser}-phone`);
    expect(phone.volumePercent).toBe(25);
    expectError(await helper.c.request('PUT', `${music(room.id)}/volume`, { percent: 101 }), 400, 'invalid_body');

    // It was the owner's Spotify all along: the co-coach has none.
    expectError(await helper.c.get('/api/v1/spotify/now-playing'), 409, 'spotify_not_connected');
  });

  it('displays, participants, strangers and anonymous callers cannot control; other rooms are 404', async () => {
    const { owner, room, display, screen } = await classWithMusic();
    const stranger = await member();
    const commands = () => calls(emu, owner.spotifyUser, 'PUT /v1/me/player/pause');
    const pausesBefore = await commands();

    // The display's token reads, but never controls (controls need a coach's session).
    expectError(await screen.post(`${music(room.id)}/pause`, {}, bearer(display.token)), 401, 'unauthenticated');
    expectError(await screen.request('PUT', `${music(room.id)}/volume`, { percent: 5 }, bearer(display.token)), 401, 'unauthenticated');

    // A guest participant's token opens nothing here; a signed-in participant is not a coach.
    const guest = await screen.post('/api/v1/rooms/join', { code: room.joinCode, deviceId: newDeviceId(), name: 'Gail', age: 34 });
    expect(guest.status).toBe(201);
    expectError(await recordingClient(server.url).get(music(room.id), bearer(guest.body.token)), 404, 'not_found');
    expectError(await recordingClient(server.url).post(`${music(room.id)}/pause`, {}, bearer(guest.body.token)), 401, 'unauthenticated');
    expect((await stranger.c.post('/api/v1/rooms/join', { code: room.joinCode, deviceId: newDeviceId() })).status).toBe(201);
    expectError(await stranger.c.get(music(room.id)), 404, 'not_found');
    expectError(await stranger.c.post(`${music(room.id)}/pause`), 404, 'not_found');
    expectError(await stranger.c.post(`${music(room.id)}/next`), 404, 'not_found');
    expectError(await stranger.c.request('PUT', `${music(room.id)}/volume`, { percent: 5 }), 404, 'not_found');

    // Nobody signed in, no token: 401. A display of another room, or a revoked one: 404.
    expectError(await recordingClient(server.url).get(music(room.id)), 401, 'unauthenticated');
    const { display: elsewhere } = await roomOf(stranger.c);
    expectError(await screen.get(music(room.id), bearer(elsewhere.token)), 404, 'not_found');
    expect((await owner.c.del(`/api/v1/rooms/${room.id}/displays/${display.display.id}`)).status).toBe(204);
    expectError(await screen.get(music(room.id), bearer(display.token)), 404, 'not_found');

    // Another member's room is 404 for the owner of this one too, and unknown commands are 404.
    const { room: theirs } = await roomOf(stranger.c);
    expectError(await owner.c.get(music(theirs.id)), 404, 'not_found');
    expectError(await owner.c.post(`${music(theirs.id)}/pause`), 404, 'not_found');
    expectError(await owner.c.post(`${music(room.id)}/shuffle`), 404, 'not_found');
    expectError(await owner.c.get(music('zzzzzzzzzzzzzzz')), 404, 'not_found');

    expect(await commands()).toBe(pausesBefore);
    expect((await playback(owner)).isPlaying).toBe(true);
  });

  it('an owner without Spotify: the usual Spotify codes, for displays and coaches alike, and no Spotify call', async () => {
    const owner = await newSpotifyMember(server, emu);
    const { room, display } = await roomOf(owner.c);
    expectError(await recordingClient(server.url).get(music(room.id), bearer(display.token)), 409, 'spotify_not_connected');
    expectError(await owner.c.get(music(room.id)), 409, 'spotify_not_connected');
    expectError(await owner.c.post(`${music(room.id)}/pause`), 409, 'spotify_not_connected');
    expect(await calls(emu, owner.spotifyUser)).toBe(0);
  });

  it('a server without Spotify answers spotify_not_configured', async () => {
    const plain = await startSyncServer({ pb });
    try {
      const c = recordingClient(plain.url);
      const m = newMember('rmnc');
      expect((await c.post('/api/v1/auth/register', m)).status).toBe(202);
      expect((await c.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
      const { room, display } = await roomOf(c);
      expectError(await recordingClient(plain.url).get(music(room.id), bearer(display.token)), 404, 'spotify_not_configured');
      expectError(await c.get(music(room.id)), 404, 'spotify_not_configured');
      expectError(await c.post(`${music(room.id)}/next`), 404, 'spotify_not_configured');
    } finally {
      await plain.stop();
    }
  });

  it('no Spotify token in any answer, cookie or log line', async () => {
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(0);
    expect(seen.some((s) => s.includes('"isPlaying"'))).toBe(true);
    expect(leaks(tokens, [...seen, server.logs()])).toEqual([]);
    // Nor anything shaped like one in the room's music answers.
    const musicBodies = seen.filter((s) => s.includes('"serverTime"') && s.includes('"isPlaying"'));
    expect(musicBodies.length).toBeGreaterThan(0);
    for (const b of musicBodies) expect(b).not.toMatch(/token|Bearer|"access|"refresh/i);
  });
});
