import { describe, expect, it } from 'vitest';
import { createHttpClient } from '$lib/api';
import { createIntervalsApi, describeIntervalsUpload, type IntervalsUpload } from './intervals-api';

const upload = (over: Partial<IntervalsUpload>): IntervalsUpload => ({
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

describe('the intervals.icu adapter', () => {
  it('calls the server routes and checks the answers; the key goes only in the connect body', async () => {
    const calls: { path: string; method: string; body: string | null }[] = [];
    const status = { configured: true, state: 'connected', connected: true, mode: 'off', wellness: false, connectedAt: null, waitingUntil: null, settingsUrl: 'https://intervals.icu/settings' };
    const fetchFake = (async (input: string | URL | Request, init?: RequestInit) => {
      const u = new URL(String(input), 'http://hrm.test');
      calls.push({ path: `${init?.method ?? 'GET'} ${u.pathname}${u.search}`, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : null });
      const body =
        u.pathname.endsWith('/status') || u.pathname.endsWith('/connect') ? status
        : u.pathname.endsWith('/preferences') ? { mode: 'auto', wellness: true }
        : u.pathname.endsWith('/uploads') && init?.method === 'POST' ? { upload: upload({}) }
        : { uploads: [upload({ state: 'done', activityId: 'i9', activityUrl: 'https://intervals.icu/activities/i9' })], waitingUntil: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const api = createIntervalsApi(createHttpClient({ fetch: fetchFake, baseUrl: 'http://hrm.test/api/v1' }));
    expect((await api.connect('my-secret-key-123')).ok).toBe(true);
    expect(await api.setPreferences({ mode: 'auto', wellness: true })).toEqual({ ok: true, value: { mode: 'auto', wellness: true } });
    const list = await api.uploads(['0f8fad5b-d9cb-469f-a165-70867728950e']);
    expect(list.ok && list.value.uploads[0]!.activityUrl).toBe('https://intervals.icu/activities/i9');
    expect(calls.map((c) => c.path)).toEqual(['POST /api/v1/intervals/connect', 'PUT /api/v1/intervals/preferences', 'GET /api/v1/intervals/uploads?sessions=0f8fad5b-d9cb-469f-a165-70867728950e']);
    expect(calls.filter((c) => c.body?.includes('my-secret-key-123')).map((c) => c.path)).toEqual(['POST /api/v1/intervals/connect']);
  });

  it('says what each upload state means', () => {
    expect(describeIntervalsUpload(upload({ state: 'done' }))).toBe('On intervals.icu.');
    expect(describeIntervalsUpload(upload({ state: 'duplicate' }))).toContain('existing activity');
    expect(describeIntervalsUpload(upload({ state: 'failed', reason: 'needs_reconnect' }))).toContain('connect intervals.icu again');
    expect(describeIntervalsUpload(upload({ waitingUntil: '2026-09-01T07:15:00.000Z' }))).toContain('rate limit');
  });
});
