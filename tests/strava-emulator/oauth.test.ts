import { describe, expect, it } from 'vitest';
import { CLIENT, REDIRECT, setup, START_MS } from './test-support';

describe('GET /oauth/authorize', () => {
  it('redirects with code, accepted scope and the state echoed; deny gives access_denied', async () => {
    const h = setup();
    await h.control('/consent', { athleteId: 7, decision: 'approve', scope: 'read' });
    const { res, url } = await h.authorize();
    expect(res.status).toBe(302);
    expect(url!.origin + url!.pathname).toBe(REDIRECT);
    expect(url!.searchParams.get('state')).toBe('st-1');
    expect(url!.searchParams.get('scope')).toBe('read');
    expect(url!.searchParams.get('code')).toMatch(/^[0-9a-f]{40}$/);
    await h.control('/consent', { athleteId: 7, decision: 'deny' });
    const denied = await h.authorize();
    expect(denied.url!.searchParams.get('error')).toBe('access_denied');
    expect(denied.url!.searchParams.get('code')).toBeNull();
  });

  it('refuses an unknown client and a redirect outside the callback domain (localhost and 127.0.0.1 allowed)', async () => {
    const h = setup();
    expect((await h.authorize({ client_id: '9' })).res.status).toBe(400);
    const bad = await h.authorize({ redirect_uri: 'https://evil.example/cb' });
    expect(bad.res.status).toBe(400);
    expect(await bad.res.json()).toEqual({ message: 'Bad Request', errors: [{ resource: 'Application', field: 'redirect_uri', code: 'invalid' }] });
    expect((await h.authorize({ redirect_uri: 'http://127.0.0.1:5555/cb' })).res.status).toBe(302);
    expect((await h.authorize({ redirect_uri: 'https://sub.hrm.example/cb' })).res.status).toBe(302);
  });
});

describe('POST /oauth/token', () => {
  it('exchanges a code once for a 6-hour access token (expires_at in epoch seconds), a refresh token and the athlete', async () => {
    const h = setup();
    await h.control('/consent', { athleteId: 7, decision: 'approve' });
    const code = (await h.authorize()).url!.searchParams.get('code')!;
    const form = { client_id: CLIENT.id, client_secret: CLIENT.secret, code, grant_type: 'authorization_code' };
    const res = await h.token(form);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 21600, expires_at: START_MS / 1000 + 21600, athlete: { id: 7 } });
    expect(body.refresh_token).toMatch(/^[0-9a-f]{40}$/);
    const again = await h.token(form);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ message: 'Bad Request', errors: [{ resource: 'AuthorizationCode', field: 'code', code: 'invalid' }] });
  });

  it('refuses a wrong client secret', async () => {
    const h = setup();
    const res = await h.token({ client_id: CLIENT.id, client_secret: 'nope', grant_type: 'refresh_token', refresh_token: 'x' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('client_secret');
  });

  it('refresh returns the same tokens while the access token has over an hour left, then rotates; the old refresh token stops working', async () => {
    const h = setup();
    const first = await h.login();
    const early = (await (await h.refresh(first.refresh_token)).json()) as typeof first;
    expect(early.access_token).toBe(first.access_token);
    expect(early.refresh_token).toBe(first.refresh_token);
    h.clock.advance(5.5 * 3600_000);
    const rotated = (await (await h.refresh(first.refresh_token)).json()) as typeof first;
    expect(rotated.access_token).not.toBe(first.access_token);
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.expires_at).toBe(Math.floor(h.clock.now() / 1000) + 21600);
    const stale = await h.refresh(first.refresh_token);
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ message: 'Bad Request', errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }] });
    expect((await h.refresh(rotated.refresh_token)).status).toBe(200);
  });

  it('rotation "never" keeps the refresh token; a grace keeps the old one working for a while', async () => {
    const h = setup({ knobs: { rotation: 'never' } });
    const first = await h.login();
    h.clock.advance(6 * 3600_000);
    const r = (await (await h.refresh(first.refresh_token)).json()) as typeof first;
    expect(r.refresh_token).toBe(first.refresh_token);
    await h.control('/mode', { rotation: 'always', oldRefreshGraceMs: 60_000 });
    h.clock.advance(6 * 3600_000);
    const rotated = (await (await h.refresh(first.refresh_token)).json()) as typeof first;
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    h.clock.advance(30_000);
    expect((await h.refresh(first.refresh_token)).status).toBe(200);
    h.clock.advance(31_000);
    expect((await h.refresh(first.refresh_token)).status).toBe(400);
  });
});

describe('revocation', () => {
  it('POST /oauth/deauthorize revokes access and refresh tokens: API 401, refresh 400', async () => {
    const h = setup();
    const t = await h.login();
    expect((await h.app.request('/api/v3/athlete', { headers: { Authorization: `Bearer ${t.access_token}` } })).status).toBe(200);
    const res = await h.app.request('/oauth/deauthorize', { method: 'POST', body: new URLSearchParams({ access_token: t.access_token }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    const api = await h.app.request('/api/v3/athlete', { headers: { Authorization: `Bearer ${t.access_token}` } });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ message: 'Authorization Error', errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }] });
    expect((await h.refresh(t.refresh_token)).status).toBe(400);
  });

  it('the athlete revoking the app in their settings (control plane) has the same effect', async () => {
    const h = setup();
    const t = await h.login(8);
    expect(await (await h.control('/revoke', { athleteId: 8 })).json()).toEqual({ revoked: 1 });
    expect((await h.upload(t.access_token, 'x')).status).toBe(401);
    expect((await h.refresh(t.refresh_token)).status).toBe(400);
  });

  it('an expired access token is refused with 401', async () => {
    const h = setup();
    const t = await h.login();
    h.clock.advance(6 * 3600_000);
    expect((await h.upload(t.access_token, 'x')).status).toBe(401);
  });
});
