import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../tests/spotify-emulator/clock';
import { createStravaEmulator } from '../../../tests/strava-emulator/emulator';
import { classifyStravaToken, createStravaHttp } from './http';

const T0 = Date.UTC(2026, 8, 1, 7, 0, 0);

describe('Strava token answers', () => {
  it('a success keeps expires_at (seconds → ms) and the rotated refresh token', () => {
    const r = classifyStravaToken(200, { token_type: 'Bearer', access_token: 'a1', refresh_token: 'r2', expires_at: T0 / 1000 + 21600, expires_in: 21600 }, false, T0);
    expect(r).toEqual({ kind: 'ok', tokens: { accessToken: 'a1', refreshToken: 'r2', expiresInSec: 21600, expiresAtMs: T0 + 21600_000, scope: null } });
  });

  it('classifies by status and errors[].resource/field, never by message', () => {
    const err = (resource: string, field: string) => ({ message: 'whatever', errors: [{ resource, field, code: 'invalid' }] });
    expect(classifyStravaToken(400, err('RefreshToken', 'refresh_token'), false, T0).kind).toBe('invalid_grant');
    expect(classifyStravaToken(400, err('AuthorizationCode', 'code'), false, T0).kind).toBe('invalid_grant');
    expect(classifyStravaToken(400, err('Application', 'client_secret'), false, T0).kind).toBe('invalid_client');
    expect(classifyStravaToken(401, err('Application', 'client_id'), false, T0).kind).toBe('invalid_client');
    expect(classifyStravaToken(429, err('Application', 'rate limit'), false, T0)).toEqual({ kind: 'transient', failure: 'rate', status: 429 });
    expect(classifyStravaToken(502, null, true, T0)).toEqual({ kind: 'transient', failure: 'network', status: 502 });
    expect(classifyStravaToken(400, null, true, T0)).toEqual({ kind: 'transient', failure: 'unknown', status: 400 });
    expect(classifyStravaToken(400, err('Application', 'grant_type'), false, T0)).toEqual({ kind: 'rejected', status: 400, error: 'grant_type' });
  });

  it('against the emulator: code exchange, rotation, refusal of the old token, deauthorize', async () => {
    const clock = createManualClock(T0);
    const emu = createStravaEmulator({ clients: [{ id: '9', secret: 's', callbackDomain: 'hrm.example' }], athletes: [{ id: 5 }], clock });
    const http = createStravaHttp(
      { oauthUrl: 'http://emu/oauth', apiUrl: 'http://emu/api/v3', clientId: '9', clientSecret: 's' },
      { fetch: (async (input: string | URL | Request, init?: RequestInit) => emu.app.request(String(input), init)) as typeof fetch, now: clock.now },
    );
    const q = new URLSearchParams({ client_id: '9', response_type: 'code', redirect_uri: 'https://hrm.example/cb', scope: 'activity:write' });
    const code = new URL((await emu.app.request(`/oauth/authorize?${q}`)).headers.get('location')!).searchParams.get('code')!;
    const first = await http.exchangeCode(code);
    expect(first).toMatchObject({ kind: 'ok', athleteId: 5, tokens: { expiresAtMs: T0 + 21600_000 } });
    if (first.kind !== 'ok') return;
    clock.advance(6 * 3600_000);
    const second = await http.refresh(first.tokens.refreshToken!);
    if (second.kind !== 'ok') throw new Error(second.kind);
    expect(second.tokens.refreshToken).not.toBe(first.tokens.refreshToken);
    expect(await http.refresh(first.tokens.refreshToken!)).toEqual({ kind: 'invalid_grant' });
    expect(await http.deauthorize(second.tokens.accessToken)).toBe(true);
    expect(await http.refresh(second.tokens.refreshToken!)).toEqual({ kind: 'invalid_grant' });
    const bad = createStravaHttp({ oauthUrl: 'http://emu/oauth', apiUrl: 'http://emu/api/v3', clientId: '9', clientSecret: 'wrong' }, { fetch: (async (i: string | URL | Request, init?: RequestInit) => emu.app.request(String(i), init)) as typeof fetch });
    expect(await bad.refresh('x')).toEqual({ kind: 'invalid_client' });
  });
});
