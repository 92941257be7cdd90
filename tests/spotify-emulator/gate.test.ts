import { describe, expect, it } from 'vitest';
import { setup } from './test-support';

describe('rate limit and quota (G3, G4)', () => {
  it('429 with Retry-After and a plain-text body over N calls in a rolling 30 s window', async () => {
    const h = setup({ knobs: { rateLimit: { calls: 3, windowMs: 30_000, body: 'text', retryAfterS: null } } });
    const { access_token } = await h.login();
    for (let i = 0; i < 3; i++) {
      expect((await h.api('/v1/me', access_token)).status).toBe(200);
      h.clock.advance(10_000);
    }
    // Calls at t=0, 10 s, 20 s; now t=30 s: the first left the window.
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
    h.clock.advance(1_000);
    const limited = await h.api('/v1/me', access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('9');
    expect(await limited.text()).toBe('Too many requests');
    await h.mode({ rateLimit: { calls: 3, body: 'json' } });
    const json = await h.api('/v1/me', access_token);
    expect(await json.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
  });

  it('quota mode: 429 JSON reason QUOTA_EXCEEDED with a long Retry-After, per developer account', async () => {
    const h = setup({ knobs: { quota: { calls: 2, periodMs: 86_400_000, retryAfterS: null } } });
    const { access_token, refresh_token } = await h.login();
    await h.api('/v1/me', access_token);
    await h.api('/v1/me', access_token);
    const res = await h.api('/v1/me', access_token);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('86400');
    expect(await res.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' } });
    h.clock.advance(86_400_000);
    const fresh = (await (await h.refresh(refresh_token)).json()) as { access_token: string };
    expect((await h.api('/v1/me', fresh.access_token)).status).toBe(200);
  });
});

describe('fault injection (G5)', () => {
  it('a status sequence with JSON and non-JSON bodies, then normal service', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await h.control('/faults', { route: 'GET /v1/me', sequence: [502, { status: 502, body: 'html' }, { status: 503, body: 'text', retryAfterS: 5 }, 'pass', 500] });
    const json = await h.api('/v1/me', access_token);
    expect(json.status).toBe(502);
    expect(await json.json()).toEqual({ error: { status: 502, message: 'Bad gateway.' } });
    const html = await h.api('/v1/me', access_token);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<h1>502 Bad Gateway</h1>');
    const text = await h.api('/v1/me', access_token);
    expect(text.headers.get('retry-after')).toBe('5');
    const raw = await text.text();
    expect(() => JSON.parse(raw)).toThrow();
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
    expect((await h.api('/v1/me', access_token)).status).toBe(500);
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
  });

  it('probability faults and added latency', async () => {
    const h = setup();
    const { access_token } = await h.login();
    await h.control('/faults', { route: '*', probability: 1, status: 504, latencyMs: 30_000, body: 'empty' });
    const res = await h.api('/v1/me/player/devices', access_token);
    expect(res.status).toBe(504);
    expect(await res.text()).toBe('');
    expect(h.sleeps).toContain(30_000);
    await h.control('/faults', { clear: true });
    expect((await h.api('/v1/me', access_token)).status).toBe(200);
  });

  it('faults are validated by the control plane', async () => {
    const h = setup();
    const res = await h.control('/faults', { route: 'GET /v1/me', sequence: [42] });
    expect(res.status).toBe(400);
  });
});

describe('call log (G6)', () => {
  it('counts calls per route and per refresh token, faults included', async () => {
    const h = setup();
    const { refresh_token, access_token } = await h.login();
    await h.control('/faults', { route: 'POST /api/token', sequence: [{ status: 503, body: 'html' }] });
    await h.refresh(refresh_token);
    await h.refresh(refresh_token);
    await Promise.all(Array.from({ length: 50 }, () => h.api('/v1/me', access_token)));
    const log = await h.calls();
    expect(log.byRoute).toEqual({ 'GET /authorize': 1, 'POST /api/token': 3, 'GET /v1/me': 50 });
    expect(log.byRefreshToken).toEqual({ [refresh_token]: 2 });
    expect(log.byStatus['POST /api/token']).toEqual({ '200': 2, '503': 1 });
    const filtered = (await (await h.control('/calls?route=GET%20/v1/me')).json()) as { total: number };
    expect(filtered.total).toBe(50);
    await h.app.request('/__emu/calls', { method: 'DELETE' });
    expect((await h.calls()).total).toBe(0);
  });

  it('tokens view reports states for assertions', async () => {
    const h = setup({ knobs: { rotation: 'strict' } });
    const { refresh_token } = await h.login();
    await h.refresh(refresh_token);
    h.clock.advance(3_600_000);
    const view = (await (await h.control('/tokens')).json()) as { counts: unknown };
    expect(view.counts).toEqual({ refreshTokens: { rotated: 1, active: 1 }, accessTokens: { expired: 2 } });
  });
});
