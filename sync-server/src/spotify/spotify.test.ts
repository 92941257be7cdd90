import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { afterNoContent, IDLE_DEBOUNCE_MS, isFresh, normalizeCurrentlyPlaying, NOTHING } from './now-playing';
import { classifyTokenAnswer } from './spotify-http';
import { backoffMs, consentExpiresSoon } from './timing';
import { createTokenCipher, deriveKeyId, parseTokenKey } from './token-cipher';

const key = () => {
  const k = randomBytes(32);
  return { id: deriveKeyId(k), key: k };
};

describe('token cipher (AES-256-GCM)', () => {
  it('round-trips, binds the value to its row and field, and opens with a previous key', () => {
    const old = key();
    const sealedOld = createTokenCipher(old).seal('AQ-refresh', 'm1:refresh_token');
    const cipher = createTokenCipher(key(), [old]);
    const sealed = cipher.seal('BQ-access', 'm1:access_token');
    expect(sealed).not.toContain('BQ-access');
    expect(cipher.open(sealed, 'm1:access_token')).toBe('BQ-access');
    expect(cipher.open(sealed, 'm2:access_token')).toBeNull();
    expect(cipher.open(sealed.slice(0, -2) + 'AA', 'm1:access_token')).toBeNull();
    expect(cipher.open(sealedOld, 'm1:refresh_token')).toBe('AQ-refresh');
    expect(createTokenCipher(key()).open(sealedOld, 'm1:refresh_token')).toBeNull();
  });

  it('parses 32-byte keys as hex or base64 only', () => {
    expect(parseTokenKey(randomBytes(32).toString('hex'))).toHaveLength(32);
    expect(parseTokenKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(parseTokenKey(randomBytes(16).toString('base64'))).toBeNull();
  });
});

describe('token endpoint outcomes by status and error code, never message text', () => {
  it('classifies', () => {
    expect(classifyTokenAnswer(200, { access_token: 'a', expires_in: 3600 }, false)).toMatchObject({ kind: 'ok', tokens: { refreshToken: null } });
    expect(classifyTokenAnswer(400, { error: 'invalid_grant', error_description: 'anything at all' }, false)).toEqual({ kind: 'invalid_grant' });
    expect(classifyTokenAnswer(400, { error: 'invalid_client' }, false)).toEqual({ kind: 'invalid_client' });
    expect(classifyTokenAnswer(503, null, true)).toMatchObject({ kind: 'transient', failure: 'network' });
    expect(classifyTokenAnswer(400, null, true)).toMatchObject({ kind: 'transient', failure: 'unknown' });
    expect(classifyTokenAnswer(200, null, true)).toMatchObject({ kind: 'transient' });
  });

  it('backs off with jitter, at most 30 s', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });

  it('warns 14 days before the 6-month consent end', () => {
    const at = Date.UTC(2026, 0, 15);
    expect(consentExpiresSoon(at, Date.UTC(2026, 6, 15) - 15 * 86_400_000)).toBe(false);
    expect(consentExpiresSoon(at, Date.UTC(2026, 6, 15) - 7 * 86_400_000)).toBe(true);
  });
});

describe('now playing', () => {
  it('normalizes tracks, ads and hidden episodes', () => {
    const t = normalizeCurrentlyPlaying({
      is_playing: true,
      progress_ms: 1000,
      currently_playing_type: 'track',
      item: { type: 'track', id: 'x', uri: 'spotify:track:x', name: 'N', duration_ms: 5000, artists: [{ name: 'A' }], album: { name: 'L', images: [{ url: 'u', width: 300 }] } },
    });
    expect(t).toMatchObject({ type: 'track', item: { artists: ['A'], albumArtUrl: 'u' } });
    expect(normalizeCurrentlyPlaying({ is_playing: true, currently_playing_type: 'ad', item: null }).type).toBe('ad');
    expect(normalizeCurrentlyPlaying({ is_playing: true, currently_playing_type: 'episode', item: null }).type).toBe('episode');
    expect(normalizeCurrentlyPlaying('garbage')).toEqual(NOTHING);
  });

  it('names the device only when the answer has one (the player state does, currently-playing does not)', () => {
    const body = { is_playing: true, progress_ms: 0, currently_playing_type: 'ad', item: null };
    expect(normalizeCurrentlyPlaying(body)).not.toHaveProperty('device');
    expect(normalizeCurrentlyPlaying({ ...body, device: null }).device).toBeNull();
    expect(normalizeCurrentlyPlaying({ ...body, device: { name: 'Gym Speaker', type: 'Speaker', volume_percent: 40, supports_volume: true } }).device).toEqual({
      name: 'Gym Speaker',
      type: 'Speaker',
      volumePercent: 40,
      supportsVolume: true,
    });
    // No volume reported: not controllable, whatever the flag says.
    expect(normalizeCurrentlyPlaying({ ...body, device: { name: 'Phone', type: 'Smartphone', volume_percent: null, supports_volume: true } }).device).toMatchObject({
      supportsVolume: false,
    });
    // A malformed device never costs the track.
    expect(normalizeCurrentlyPlaying({ ...body, device: { name: 7 } })).toMatchObject({ type: 'ad', device: null });
  });

  it('debounces a 204 after something was playing', () => {
    const playing = { ...NOTHING, type: 'track' as const, isPlaying: true };
    expect(afterNoContent(playing, 0, 1000).state).toBe(playing);
    expect(afterNoContent(playing, 1000, 1000 + IDLE_DEBOUNCE_MS).state).toEqual(NOTHING);
    expect(afterNoContent(null, 0, 1000).state).toEqual(NOTHING);
  });

  it('a state fetched while a player command settles is fresh only until it has settled', () => {
    const c = (fetchedAt: number, settleUntil = 0) => ({ state: NOTHING, fetchedAt, noneSince: 0, settleUntil });
    const TTL = 3_000;
    expect(isFresh(c(10_000), 12_999, TTL)).toBe(true);
    expect(isFresh(c(10_000), 13_000, TTL)).toBe(false);
    // Next pressed at 10 000 (settles at 11 500); a read that raced it landed at 10 200.
    expect(isFresh(c(10_200, 11_500), 11_000, TTL)).toBe(true);
    expect(isFresh(c(10_200, 11_500), 11_500, TTL)).toBe(false);
    // Fetched after it settled: the normal TTL again.
    expect(isFresh(c(11_600, 11_500), 14_000, TTL)).toBe(true);
    // Invalidated (fetched_at 0): never fresh.
    expect(isFresh(c(0, 11_500), 10_100, TTL)).toBe(false);
  });
});

describe('Spotify configuration', () => {
  const base = { SPOTIFY_CLIENT_ID: 'id', SPOTIFY_CLIENT_SECRET: 'secret' };
  it('is optional, and complete when set', () => {
    expect(loadConfig({}).spotify).toBeNull();
    const c = loadConfig({ ...base, SPOTIFY_TOKEN_KEY: randomBytes(32).toString('hex'), PORT: '9000' }).spotify!;
    expect(c.redirectUri).toBe('http://127.0.0.1:9000/api/v1/spotify/callback');
    expect(c.accountsUrl).toBe('https://accounts.spotify.com');
    expect(c.tokenKey!.id).toMatch(/^[0-9a-f]{12}$/);
    // A local run (embedded PocketBase) may go without a key: one is generated in PB_DATA_DIR.
    expect(loadConfig(base).spotify!.tokenKey).toBeNull();
    expect(loadConfig(base).spotify!.jobIntervalMs).toBe(60_000);
    expect(loadConfig({ ...base, SPOTIFY_JOB_INTERVAL_MS: '5000' }).spotify!.jobIntervalMs).toBe(5000);
  });

  it('refuses half a client, a bad key, a missing key with PB_URL, and localhost redirects', () => {
    expect(() => loadConfig({ SPOTIFY_CLIENT_ID: 'id' })).toThrow(/SPOTIFY_CLIENT_SECRET/);
    expect(() => loadConfig({ ...base, SPOTIFY_TOKEN_KEY: 'short' })).toThrow(/SPOTIFY_TOKEN_KEY/);
    expect(() => loadConfig({ ...base, SPOTIFY_JOB_INTERVAL_MS: '0' })).toThrow(/SPOTIFY_JOB_INTERVAL_MS/);
    expect(() => loadConfig({ ...base, PB_URL: 'http://127.0.0.1:9', PB_SUPERUSER_EMAIL: 'a@b.co', PB_SUPERUSER_PASSWORD: 'long enough pw' })).toThrow(/SPOTIFY_TOKEN_KEY/);
    expect(() => loadConfig({ ...base, SPOTIFY_REDIRECT_URI: 'http://localhost:8787/api/v1/spotify/callback' })).toThrow(/localhost/);
    expect(() => loadConfig({ ...base, SPOTIFY_REDIRECT_URI: 'http://hrm.gym.lan/api/v1/spotify/callback' })).toThrow(/https/);
  });
});
