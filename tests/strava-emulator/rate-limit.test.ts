import { describe, expect, it } from 'vitest';
import { setup, START_MS } from './test-support';

describe('rate limits per application', () => {
  it('every API answer carries the limits and usage; the 15-minute window resets at the natural boundary', async () => {
    const h = setup({ knobs: { limit15: 3, limitDay: 10 } });
    const t = await h.login();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await h.upload(t.access_token, `f${i}`);
      statuses.push(res.status);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3,10');
      expect(res.headers.get('x-ratelimit-usage')).toBe(`${i + 1},${i + 1}`);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await h.upload(t.access_token, 'f9');
    expect(await refused.json()).toEqual({ message: 'Rate Limit Exceeded', errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }] });
    // START_MS is 07:03: the window ends at 07:15, not 15 minutes after the first call.
    h.clock.set(Date.UTC(2026, 8, 1, 7, 14, 59));
    expect((await h.upload(t.access_token, 'g')).status).toBe(429);
    h.clock.set(Date.UTC(2026, 8, 1, 7, 15, 0));
    const next = await h.upload(t.access_token, 'h');
    expect(next.status).toBe(201);
    // Refused requests counted toward the day: 4 + 1 + 1 + this one.
    expect(next.headers.get('x-ratelimit-usage')).toBe('1,7');
  });

  it('the daily limit resets at midnight UTC', async () => {
    const h = setup({ knobs: { limit15: 100, limitDay: 2 } });
    const t = await h.login();
    await h.upload(t.access_token, 'a');
    await h.upload(t.access_token, 'b');
    h.clock.advance(30 * 60_000);
    expect((await h.upload(t.access_token, 'c')).status).toBe(429);
    h.clock.set(Date.UTC(2026, 8, 2, 0, 0, 0));
    // Tokens expired meanwhile: refresh, which is not rate-limited.
    const fresh = (await (await h.refresh(t.refresh_token)).json()) as { access_token: string };
    const res = await h.upload(fresh.access_token, 'c');
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ratelimit-usage')).toBe('1,1');
  });

  it('reads count toward the non-upload limit too; uploads only toward the overall one', async () => {
    const h = setup({ knobs: { readLimit15: 2 } });
    const t = await h.login();
    const u = (await (await h.upload(t.access_token, 'r')).json()) as { id: number };
    const a = await h.poll(t.access_token, u.id);
    expect(a.headers.get('x-readratelimit-usage')).toBe('1,1');
    expect(a.headers.get('x-ratelimit-usage')).toBe('2,2');
    await h.poll(t.access_token, u.id);
    expect((await h.poll(t.access_token, u.id)).status).toBe(429);
    expect((await h.upload(t.access_token, 'r2')).status).toBe(201);
  });

  it('limits are per application, with defaults 200/2000 and 100/1000', async () => {
    const h = setup({ clients: [{ id: 'A', secret: 's', callbackDomain: 'hrm.example' }, { id: '4242', secret: 'sekrit', callbackDomain: 'hrm.example' }] });
    const t = await h.login();
    const res = await h.upload(t.access_token, 'd');
    expect(res.headers.get('x-ratelimit-limit')).toBe('200,2000');
    expect(res.headers.get('x-readratelimit-limit')).toBe('100,1000');
    expect(START_MS % (15 * 60_000)).not.toBe(0);
  });
});

describe('scripted faults and the clock', () => {
  it('answers the scripted statuses in order, then normally; latency goes through the injected sleep', async () => {
    const h = setup();
    const t = await h.login();
    await h.control('/faults', { route: 'POST /api/v3/uploads', statuses: [502, 0, 503] });
    const s1 = await h.upload(t.access_token, '1');
    expect(s1.status).toBe(502);
    expect(s1.headers.get('content-type')).toContain('text/html');
    expect((await h.upload(t.access_token, '2')).status).toBe(201);
    expect((await h.upload(t.access_token, '3')).status).toBe(503);
    expect((await h.upload(t.access_token, '4')).status).toBe(201);
    await h.control('/faults', { route: 'POST /oauth/token', statuses: [500], latencyMs: 9_000 });
    expect((await h.refresh(t.refresh_token)).status).toBe(500);
    expect(h.sleeps).toEqual([9_000]);
    await h.control('/faults', null, 'DELETE');
    await h.control('/faults', { route: 'GET /api/v3/uploads/:id', statuses: [401] });
    expect((await h.poll(t.access_token, 1)).status).toBe(401);
  });

  it('logs every call by route and refresh token; the clock moves by the control plane', async () => {
    const h = setup();
    const t = await h.login();
    h.clock.advance(6 * 3600_000);
    await h.refresh(t.refresh_token);
    const calls = (await (await h.control('/calls')).json()) as { byRoute: Record<string, number>; byRefreshToken: Record<string, number> };
    expect(calls.byRoute['POST /oauth/token']).toBe(2);
    expect(calls.byRefreshToken[t.refresh_token]).toBe(1);
    const before = h.clock.now();
    expect(await (await h.control('/clock', { advanceMs: 1234 })).json()).toEqual({ now: before + 1234 });
  });
});
