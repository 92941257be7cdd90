import { describe, expect, it } from 'vitest';
import { s256Challenge } from './pkce';
import { CLIENT, REDIRECT, setup, VERIFIER } from './test-support';

async function codeFor(h: ReturnType<typeof setup>, extra: Record<string, string> = {}) {
  const { url } = await h.authorize(extra);
  return url!.searchParams.get('code')!;
}

const SIX_MONTHS_AND_A_DAY = 185 * 86_400_000;

describe('POST /accounts/api/token (T1–T4)', () => {
  it('requires a form body (T1)', async () => {
    const h = setup();
    const res = await h.app.request('/accounts/api/token', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'authorization_code' }),
      headers: { 'Content-Type': 'application/json', ...h.basic() },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('rejects a wrong or missing client with 400 invalid_client (T2)', async () => {
    const h = setup();
    const code = await codeFor(h);
    const wrongSecret = await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, h.basic(CLIENT.id, 'bad'));
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client secret' });
    const unknown = await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, h.basic('who', 'x'));
    expect(await unknown.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client' });
    const none = await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(await none.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client' });
  });

  it('accepts client credentials in the body unless the knob forbids it (T2)', async () => {
    const h = setup();
    const ok = await h.token({ grant_type: 'authorization_code', code: await codeFor(h), redirect_uri: REDIRECT, client_id: CLIENT.id, client_secret: CLIENT.secret });
    expect(ok.status).toBe(200);
    await h.mode({ acceptBodyClientSecret: false });
    const refused = await h.token({ grant_type: 'authorization_code', code: await codeFor(h), redirect_uri: REDIRECT, client_id: CLIENT.id, client_secret: CLIENT.secret });
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('returns the documented token response (T4)', async () => {
    const h = setup();
    const res = await h.token({ grant_type: 'authorization_code', code: await codeFor(h, { scope: 'user-read-currently-playing' }), redirect_uri: REDIRECT }, h.basic());
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^BQ/),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^AQ/),
      scope: 'user-read-currently-playing',
    });
  });

  it('a code is single-use (T3)', async () => {
    const h = setup();
    const code = await codeFor(h);
    expect((await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, h.basic())).status).toBe(200);
    const again = await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, h.basic());
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
  });

  it('two concurrent exchanges of one PKCE code: exactly one succeeds (T3)', async () => {
    const h = setup();
    const code = await codeFor(h, { code_challenge: await s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT.id, code_verifier: VERIFIER };
    const statuses = (await Promise.all([h.token(form), h.token(form), h.token(form)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 400, 400]);
  });

  it('a code expires after its TTL (T3, default 10 min)', async () => {
    const h = setup();
    const code = await codeFor(h);
    h.clock.advance(10 * 60_000);
    const res = await h.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, h.basic());
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
  });

  it('redirect_uri must equal the one used at /authorize (T3)', async () => {
    const h = setup();
    const res = await h.token({ grant_type: 'authorization_code', code: await codeFor(h), redirect_uri: 'http://127.0.0.1:8080/cb' }, h.basic());
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid redirect URI' });
  });

  it('verifies the PKCE code_verifier with client_id only (T3)', async () => {
    const h = setup();
    const pkce = { code_challenge: await s256Challenge(VERIFIER), code_challenge_method: 'S256' };
    const bad = await h.token({ grant_type: 'authorization_code', code: await codeFor(h, pkce), redirect_uri: REDIRECT, client_id: CLIENT.id, code_verifier: 'w'.repeat(43) });
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier was incorrect' });
    const good = await h.token({ grant_type: 'authorization_code', code: await codeFor(h, pkce), redirect_uri: REDIRECT, client_id: CLIENT.id, code_verifier: VERIFIER });
    expect(good.status).toBe(200);
  });

  it('consent may grant fewer scopes; refresh returns the grant scope, never wider (T11)', async () => {
    const h = setup();
    await h.control('/consent', { user: 'alice', decision: 'approve', scopes: ['user-read-currently-playing'] });
    const { url } = await h.authorize({ scope: 'user-read-currently-playing user-modify-playback-state' });
    const first = (await (await h.token({ grant_type: 'authorization_code', code: url!.searchParams.get('code')!, redirect_uri: REDIRECT }, h.basic())).json()) as { scope: string; refresh_token: string };
    expect(first.scope).toBe('user-read-currently-playing');
    const refreshed = (await (await h.refresh(first.refresh_token)).json()) as { scope: string };
    expect(refreshed.scope).toBe('user-read-currently-playing');
  });
});

describe('refresh token lifetime and revocation (G2, T10, T12, T13)', () => {
  it('the RT expires 6 months after the original authorization, however often it is used', async () => {
    const h = setup();
    const { refresh_token } = await h.login();
    for (let month = 0; month < 5; month++) {
      h.clock.advance(30 * 86_400_000);
      expect((await h.refresh(refresh_token)).status).toBe(200);
    }
    h.clock.advance(SIX_MONTHS_AND_A_DAY - 150 * 86_400_000);
    const res = await h.refresh(refresh_token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token expired' });
    expect((await h.tokens()).refreshTokens[0]!.state).toBe('expired');
  });

  it('legacy-confidential refresh tokens never expire (T6)', async () => {
    const h = setup({ knobs: { rotation: 'legacy-confidential' } });
    const { refresh_token } = await h.login();
    h.clock.advance(3 * SIX_MONTHS_AND_A_DAY);
    expect((await h.refresh(refresh_token)).status).toBe(200);
  });

  it('rejects unknown or garbled refresh tokens (T10)', async () => {
    const h = setup();
    expect(await (await h.refresh('AQgarbage')).json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const missing = await h.token({ grant_type: 'refresh_token' }, h.basic());
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('re-authorization issues a new RT with a new lifetime; old RTs stay valid unless the knob says no (T12)', async () => {
    const h = setup();
    const first = await h.login();
    h.clock.advance(100 * 86_400_000);
    const second = await h.login();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    h.clock.advance(100 * 86_400_000);
    expect((await h.refresh(first.refresh_token)).status).toBe(400);
    expect((await h.refresh(second.refresh_token)).status).toBe(200);

    await h.mode({ reauthKeepsOldTokens: false });
    const third = await h.login();
    expect(await (await h.refresh(second.refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    expect((await h.refresh(third.refresh_token)).status).toBe(200);
  });

  it('user revocation kills RTs; issued access tokens keep working unless told otherwise (T13)', async () => {
    const h = setup();
    const { access_token, refresh_token } = await h.login();
    await h.control('/revoke', { user: 'alice' });
    expect(await (await h.refresh(refresh_token)).json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    expect((await h.api('/v1/me', access_token)).status).toBe(200);

    const again = await h.login();
    await h.control('/revoke', { user: 'alice', accessTokens: 'kill' });
    expect((await h.api('/v1/me', again.access_token)).status).toBe(401);
  });

  it('access tokens live 3600 s (G2)', async () => {
    const h = setup();
    const { access_token } = await h.login();
    h.clock.advance(3_599_999);
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
    h.clock.advance(1);
    expect((await h.api('/v1/me', access_token)).status).toBe(401);
  });

  it('a slow token endpoint waits before processing (T15)', async () => {
    const h = setup({ knobs: { tokenDelayMs: 2000 } });
    await h.login();
    expect(h.sleeps).toEqual([2000]);
  });
});
