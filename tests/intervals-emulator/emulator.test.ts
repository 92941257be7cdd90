import { describe, expect, it } from 'vitest';
import { createManualClock } from '../spotify-emulator/clock';
import { basicAuth, BURST, createIntervalsEmulator } from './emulator';
import { CODE_TTL_MS } from './oauth';

const A = { id: 'i77', name: 'Ann', apiKey: 'key-ann-0000000000000000' };
const B = { id: 'i88', name: 'Bob', apiKey: 'key-bob-0000000000000000' };
const APP = { id: '77', secret: 'app-secret-77' };
const CALLBACK = 'http://127.0.0.1:8787/api/v1/intervals/callback';

function setup(perSecond = 10) {
  const clock = createManualClock(Date.UTC(2026, 8, 1, 7, 3, 0));
  const emu = createIntervalsEmulator({ athletes: [A, B], clock, perSecond, clients: [APP] });
  const req = (path: string, init: RequestInit = {}, key = A.apiKey) => emu.app.request(path, { ...init, headers: { Authorization: basicAuth(key), ...(init.headers ?? {}) } });
  const upload = (file: string, fields: Record<string, string> = {}, key = A.apiKey, athlete = '0') => {
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode(file)]), 'w.fit');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return req(`/api/v1/athlete/${athlete}/activities`, { method: 'POST', body: form }, key);
  };
  const ctl = async (path: string, body?: unknown) =>
    (await emu.app.request(`/__emu${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })).json() as Promise<any>;
  return { emu, clock, req, upload, ctl };
}

describe('personal API key authentication', () => {
  it('Basic API_KEY:<key> is the key owner; athlete 0 means them', async () => {
    const h = setup();
    expect(await (await h.req('/api/v1/athlete/0')).json()).toEqual({ id: 'i77', name: 'Ann' });
    expect(await (await h.req('/api/v1/athlete/i77')).json()).toEqual({ id: 'i77', name: 'Ann' });
  });

  it('no credentials, a wrong user name, an unknown or revoked key: 401; another athlete id: 403', async () => {
    const h = setup();
    expect((await h.emu.app.request('/api/v1/athlete/0')).status).toBe(401);
    const wrongUser = `Basic ${Buffer.from(`athlete:${A.apiKey}`).toString('base64')}`;
    expect((await h.emu.app.request('/api/v1/athlete/0', { headers: { Authorization: wrongUser } })).status).toBe(401);
    expect((await h.emu.app.request('/api/v1/athlete/0', { headers: { Authorization: `Bearer ${A.apiKey}` } })).status).toBe(401);
    expect((await h.req('/api/v1/athlete/0', {}, 'nope')).status).toBe(401);
    const other = await h.req('/api/v1/athlete/i88');
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ status: 403, error: 'Access denied' });
    await h.ctl('/revoke', { athleteId: 'i77' });
    expect((await h.req('/api/v1/athlete/0')).status).toBe(401);
    expect((await h.req('/api/v1/athlete/0', {}, B.apiKey)).status).toBe(200);
  });
});

describe('activity upload', () => {
  it('a multipart file with name, description and external_id makes an activity', async () => {
    const h = setup();
    const res = await h.upload('FIT-1', { name: 'Tabata', description: '8 x 20 s', external_id: 'hrm-s1.fit' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; activities: { id: string }[] };
    expect(body.activities).toEqual([{ icu_athlete_id: 'i77', id: body.id }]);
    const list = (await (await h.req('/api/v1/athlete/0/activities?oldest=2026-09-01&newest=2026-09-01')).json()) as any[];
    expect(list).toEqual([expect.objectContaining({ id: body.id, name: 'Tabata', description: '8 x 20 s', external_id: 'hrm-s1.fit' })]);
    expect(await (await h.req('/api/v1/athlete/0/activities?oldest=2026-09-02')).json()).toEqual([]);
  });

  it('the same external_id, or an identical file, returns the existing activity and makes none', async () => {
    const h = setup();
    const first = (await (await h.upload('FIT-A', { external_id: 'x1' })).json()) as { id: string };
    const sameId = await h.upload('FIT-B', { external_id: 'x1' });
    expect(sameId.status).toBe(200);
    expect(await sameId.json()).toMatchObject({ id: first.id, duplicate: true });
    const sameFile = await h.upload('FIT-A', { external_id: 'x2' });
    expect(await sameFile.json()).toMatchObject({ id: first.id, duplicate: true });
    expect(await h.ctl('/activities')).toHaveLength(1);
    // Another athlete's identical file is theirs.
    expect((await h.upload('FIT-A', { external_id: 'x1' }, B.apiKey)).status).toBe(201);
  });

  it('no file: 422; another athlete id: 403 and nothing made', async () => {
    const h = setup();
    expect((await h.req('/api/v1/athlete/0/activities', { method: 'POST', body: new FormData() })).status).toBe(422);
    expect((await h.upload('F', {}, A.apiKey, 'i88')).status).toBe(403);
    expect(await h.ctl('/activities')).toHaveLength(0);
  });
});

describe('wellness', () => {
  it('PUT updates the day: given fields replace, others stay; GET reads it back', async () => {
    const h = setup();
    const put = (date: string, body: unknown) => h.req(`/api/v1/athlete/0/wellness/${date}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(await (await put('2026-09-01', { restingHR: 52, hrv: 61.5 })).json()).toEqual({ id: '2026-09-01', restingHR: 52, hrv: 61.5 });
    expect(await (await put('2026-09-01', { weight: 70 })).json()).toEqual({ id: '2026-09-01', restingHR: 52, hrv: 61.5, weight: 70 });
    expect(await (await h.req('/api/v1/athlete/0/wellness/2026-09-01')).json()).toMatchObject({ restingHR: 52, hrv: 61.5 });
    expect((await put('Sept 1', {})).status).toBe(422);
    expect((await h.ctl('/wellness')).puts).toHaveLength(2);
  });
});

describe('rate limit and scripted faults', () => {
  it('beyond the per-second limit (with its burst) answers 429 until the second has passed', async () => {
    const h = setup(2);
    for (let i = 0; i < 2 * BURST; i++) expect((await h.req('/api/v1/athlete/0')).status).toBe(200);
    const refused = await h.req('/api/v1/athlete/0');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    h.clock.advance(1_001);
    expect((await h.req('/api/v1/athlete/0')).status).toBe(200);
  });

  it('a scripted 429 with Retry-After, then a 500, on one route; the call log names routes', async () => {
    const h = setup();
    await h.ctl('/faults', { route: 'POST /api/v1/athlete/:id/activities', statuses: [429, 500], retryAfterSec: 30 });
    const a = await h.upload('F1');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('30');
    expect((await h.upload('F1')).status).toBe(500);
    expect((await h.upload('F1')).status).toBe(201);
    const log = await h.ctl('/calls');
    expect(log.entries.map((e: { route: string; status: number }) => `${e.route} ${e.status}`)).toEqual([
      'POST /api/v1/athlete/:id/activities 429',
      'POST /api/v1/athlete/:id/activities 500',
      'POST /api/v1/athlete/:id/activities 201',
    ]);
  });
});

describe('OAuth (forum.intervals.icu/t/2759)', () => {
  const authorize = (h: ReturnType<typeof setup>, scope = 'ACTIVITY:WRITE,WELLNESS:WRITE', clientId = APP.id) =>
    h.emu.app.request(`/oauth/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, scope, state: 'st-1' })}`);
  const exchange = (h: ReturnType<typeof setup>, code: string, secret = APP.secret) =>
    h.emu.app.request('/api/oauth/token', { method: 'POST', body: new URLSearchParams({ client_id: APP.id, client_secret: secret, code }) });
  const codeOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('code')!;
  const bearer = (h: ReturnType<typeof setup>, token: string, path = '/api/v1/athlete/0', init: RequestInit = {}) =>
    h.emu.app.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });

  it('consent redirects with code and state; the code gives a Bearer token for the athlete, scope and athlete named; athlete 0 is its owner', async () => {
    const h = setup();
    await h.ctl('/consent', { athleteId: 'i88', decision: 'approve' });
    const res = await authorize(h);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('st-1');
    const tok = await exchange(h, codeOf(res));
    expect(tok.status).toBe(200);
    const body = (await tok.json()) as { token_type: string; access_token: string; scope: string; athlete: unknown; refresh_token?: unknown };
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'ACTIVITY:WRITE,WELLNESS:WRITE', athlete: { id: 'i88', name: 'Bob' } });
    expect(body.refresh_token).toBeUndefined();
    expect(await (await bearer(h, body.access_token)).json()).toEqual({ id: 'i88', name: 'Bob' });
    expect((await bearer(h, body.access_token, '/api/v1/athlete/i77')).status).toBe(403);
    expect((await h.ctl('/calls')).entries.at(-1)).toMatchObject({ auth: 'bearer', athleteId: null, status: 403 });
  });

  it('without a scripted consent the first athlete consents', async () => {
    const h = setup();
    const tok = (await (await exchange(h, codeOf(await authorize(h)))).json()) as { athlete: { id: string } };
    expect(tok.athlete.id).toBe('i77');
  });

  it('declining redirects with error=access_denied and no code', async () => {
    const h = setup();
    await h.ctl('/consent', { athleteId: 'i77', decision: 'deny' });
    const back = new URL((await authorize(h)).headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('a narrower consent grants only the scopes left ticked: uploads work, wellness is refused (403)', async () => {
    const h = setup();
    await h.ctl('/consent', { athleteId: 'i77', decision: 'approve', scope: 'ACTIVITY:WRITE' });
    const tok = (await (await exchange(h, codeOf(await authorize(h)))).json()) as { access_token: string; scope: string };
    expect(tok.scope).toBe('ACTIVITY:WRITE');
    const form = new FormData();
    form.set('file', new Blob([new TextEncoder().encode('FIT-O')]), 'w.fit');
    expect((await bearer(h, tok.access_token, '/api/v1/athlete/0/activities', { method: 'POST', body: form })).status).toBe(201);
    expect((await bearer(h, tok.access_token, '/api/v1/athlete/0/activities?oldest=2026-09-01')).status).toBe(200);
    const put = await bearer(h, tok.access_token, '/api/v1/athlete/0/wellness/2026-09-01', { method: 'PUT', body: '{"restingHR":50}', headers: { 'Content-Type': 'application/json' } });
    expect(put.status).toBe(403);
  });

  it('a code is single-use and lives 2 minutes; a wrong secret or client is 401', async () => {
    const h = setup();
    const code = codeOf(await authorize(h));
    expect((await exchange(h, code, 'wrong')).status).toBe(401);
    expect((await exchange(h, code)).status).toBe(200);
    const again = await exchange(h, code);
    expect([again.status, await again.json()]).toEqual([400, { error: 'invalid_grant' }]);
    const late = codeOf(await authorize(h));
    h.clock.advance(CODE_TTL_MS);
    expect((await exchange(h, late)).status).toBe(400);
    expect((await authorize(h, 'ACTIVITY:WRITE', 'no-such-app')).status).toBe(400);
    expect((await authorize(h, 'EVERYTHING')).status).toBe(400);
  });

  it('removing the app revokes its tokens (401); the personal key still works; an unknown token is 401', async () => {
    const h = setup();
    const tok = (await (await exchange(h, codeOf(await authorize(h)))).json()) as { access_token: string };
    expect((await bearer(h, tok.access_token)).status).toBe(200);
    expect(await h.ctl('/revoke-app', { athleteId: 'i77' })).toEqual({ ok: true, revoked: 1 });
    expect((await bearer(h, tok.access_token)).status).toBe(401);
    expect((await h.req('/api/v1/athlete/0')).status).toBe(200);
    expect((await bearer(h, 'not-a-token')).status).toBe(401);
    // A personal key is not a Bearer token.
    expect((await bearer(h, A.apiKey)).status).toBe(401);
  });
});
