import { describe, expect, it } from 'vitest';
import { createHttpClient } from '$lib/api';
import { createStravaApi, describeStravaConnectFailure, describeUpload, type StravaUpload } from './strava-api';

const upload = (over: Partial<StravaUpload>): StravaUpload => ({
  sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  state: 'queued',
  attempts: 0,
  activityId: null,
  activityUrl: null,
  reason: null,
  error: null,
  waitingUntil: null,
  updatedAt: '2026-09-01T07:00:00.000Z',
  ...over,
});

describe('the Strava adapter', () => {
  it('calls the server routes and checks the answers', async () => {
    const calls: { url: string; method: string; body: string | null }[] = [];
    const fetchFake = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : null });
      const path = new URL(String(input), 'http://hrm.test').pathname;
      const body =
        path.endsWith('/status') ? { configured: true, state: 'connected', connected: true, mode: 'auto', authorizedAt: null, waitingUntil: null, manageAppsUrl: 'https://www.strava.com/settings/apps' }
        : path.endsWith('/preferences') ? { mode: 'manual' }
        : path.endsWith('/uploads') && init?.method === 'POST' ? { upload: upload({}) }
        : { uploads: [upload({ state: 'done', activityId: '9', activityUrl: 'https://www.strava.com/activities/9' })], waitingUntil: null };
      return new Response(JSON.stringify(body), { status: path.endsWith('/uploads') && init?.method === 'POST' ? 202 : 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const api = createStravaApi(createHttpClient({ fetch: fetchFake, baseUrl: 'http://hrm.test/api/v1' }));
    expect((await api.status()).ok).toBe(true);
    expect(await api.setMode('manual')).toEqual({ ok: true, value: { mode: 'manual' } });
    const list = await api.uploads(['0f8fad5b-d9cb-469f-a165-70867728950e']);
    expect(list.ok && list.value.uploads[0]!.activityUrl).toBe('https://www.strava.com/activities/9');
    expect((await api.upload('0f8fad5b-d9cb-469f-a165-70867728950e')).ok).toBe(true);
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}${new URL(c.url).search}`)).toEqual([
      'GET /api/v1/strava/status',
      'PUT /api/v1/strava/preferences',
      'GET /api/v1/strava/uploads?sessions=0f8fad5b-d9cb-469f-a165-70867728950e',
      'POST /api/v1/strava/uploads',
    ]);
  });

  it('says what each upload state means', () => {
    expect(describeUpload(upload({ state: 'done' }))).toBe('On Strava.');
    expect(describeUpload(upload({ state: 'duplicate' }))).toContain('duplicate');
    expect(describeUpload(upload({ state: 'failed', reason: 'needs_reconnect' }))).toContain('connect Strava again');
    expect(describeUpload(upload({ state: 'failed', reason: 'rejected', error: 'Bad file' }))).toBe('Not uploaded: Bad file');
    expect(describeUpload(upload({ waitingUntil: '2026-09-01T07:15:00.000Z' }))).toContain("Strava's rate limit");
    expect(describeStravaConnectFailure('scope')).toContain('permission to upload');
  });
});
