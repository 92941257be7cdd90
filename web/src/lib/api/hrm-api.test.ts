import { describe, expect, it, vi } from 'vitest';
import { createHrmApi } from './hrm-api';
import { createHttpClient } from './http';

function apiWith(response: Response) {
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => response);
  return { api: createHrmApi(createHttpClient({ fetch })), fetch };
}

describe('createHrmApi', () => {
  it('unwraps the user from a login answer', async () => {
    const user = { id: 'u1', email: 'a@example.com', name: 'Ana', verified: true };
    const { api, fetch } = apiWith(Response.json({ user }));
    const result = await api.login({ email: 'a@example.com', password: 'x'.repeat(10), deviceName: 'Chrome on Android' });
    expect(result).toEqual({ ok: true, value: user });
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/auth/login');
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({
      email: 'a@example.com',
      password: 'x'.repeat(10),
      deviceName: 'Chrome on Android',
    });
  });

  it('unwraps the device list', async () => {
    const sessions = [{ id: 's1', deviceName: 'Chrome on Android', created: '2026-11-01T00:00:00Z', lastSeen: '2026-11-02T00:00:00Z', current: true }];
    const { api } = apiWith(Response.json({ sessions }));
    expect(await api.listSessions()).toEqual({ ok: true, value: sessions });
  });

  it('escapes session ids in the path', async () => {
    const { api, fetch } = apiWith(new Response(null, { status: 204 }));
    await api.revokeSession('a/b');
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/auth/sessions/a%2Fb');
    expect(fetch.mock.calls[0]![1]?.method).toBe('DELETE');
  });

  it('passes an invalid_token error through', async () => {
    const { api } = apiWith(Response.json({ error: { code: 'invalid_token', message: 'bad', requestId: 'r' } }, { status: 400 }));
    const result = await api.confirmVerification('nope');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_token');
  });
});
