import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';
import { connected, startEmulator, startSpotifyServer, type Emulator, type Member } from './spotify-support';

// Issue 11 defect 14: every Spotify route validates its ids and inputs at the edge; no input
// yields a 5xx (a 5 000-character session id answered 500: the check tested the truthiness of
// safeParse's result object, so any id reached PocketBase).
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
let m: Member;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator();
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
  m = await connected(server, emu);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const long = 'a'.repeat(5_000);
const odd = [long, `${'0'.repeat(36)}`, "x' || 1=1 || '", '%00', '..%2F..%2Fetc', encodeURIComponent('{:id}'), encodeURIComponent('\u0000'), encodeURIComponent('ü'.repeat(300))];

describe('Spotify routes: ids and inputs are checked at the edge', () => {
  it('session tracks: any malformed session id is a 404, never a 5xx', async () => {
    for (const id of odd) {
      const r = await m.c.get(`/api/v1/spotify/sessions/${id}/tracks`);
      expect(r.status, id.slice(0, 40)).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
  });

  it('bodies and queries out of range are 4xx with a code', async () => {
    const cases: [string, string, unknown][] = [
      ['PUT', '/api/v1/spotify/player/volume', { percent: 101 }],
      ['PUT', '/api/v1/spotify/player/volume', { percent: 'x' }],
      ['POST', '/api/v1/spotify/player/transfer', { deviceId: long }],
      ['POST', '/api/v1/spotify/player/transfer', { deviceId: '' }],
      ['POST', '/api/v1/spotify/player/play', { contextUri: `spotify:playlist:${long}` }],
      ['POST', '/api/v1/spotify/player/play', { contextUri: "spotify:playlist:x' || 1=1" }],
    ];
    for (const [method, path, body] of cases) {
      const r = await m.c.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(typeof r.body.error.code).toBe('string');
    }
    for (const q of [long, '', "' || 1=1"]) {
      const r = await m.c.get(`/api/v1/spotify/search/playlists?q=${encodeURIComponent(q)}`);
      expect(r.status).toBeLessThan(500);
    }
  });

  it('the callback with oversized or odd parameters goes back to the account page, never a 5xx', async () => {
    for (const q of [`state=${long}`, `state=x&code=${long}`, `state=x&error=${long}`, 'state=x&state=y', `code=${long}`]) {
      const r = await m.c.get(`/api/v1/spotify/callback?${q}`);
      expect(r.status, q.slice(0, 40)).toBe(302);
      expect(r.headers.get('location')).toMatch(/spotify=error&reason=state/);
    }
  });
});
