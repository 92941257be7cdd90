import { describe, expect, it, vi } from 'vitest';
import { createHttpClient, parseRetryAfter } from './http';
import { UserSchema as userSchema } from '$core/api';

const user = { id: 'u1', email: 'a@example.com', name: 'Ana', verified: false };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

describe('createHttpClient', () => {
  it('sends JSON with same-origin credentials and validates the answer', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json(200, user));
    const http = createHttpClient({ fetch });
    const result = await http.request('/me', { method: 'PATCH', body: { name: 'Ana' }, schema: userSchema });
    expect(result).toEqual({ ok: true, value: user });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/me');
    expect(init?.method).toBe('PATCH');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"name":"Ana"}');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('returns the server error body as an ApiError, with Retry-After', async () => {
    const fetch = async () =>
      json(429, { error: { code: 'account_locked', message: 'Locked', requestId: 'r-1' } }, { 'retry-after': '900' });
    const result = await createHttpClient({ fetch }).request('/auth/login', { method: 'POST', body: {} });
    expect(result).toEqual({
      ok: false,
      error: { status: 429, code: 'account_locked', message: 'Locked', requestId: 'r-1', retryAfterSeconds: 900 },
    });
  });

  it('names a non-JSON error by its status', async () => {
    const fetch = async () => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' });
    const result = await createHttpClient({ fetch }).request('/me');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status: 502, code: 'http_502' });
  });

  it('turns a failed fetch into code "network" and reports the server unreachable', async () => {
    const onReachability = vi.fn();
    const fetch = async (): Promise<Response> => {
      throw new TypeError('Failed to fetch');
    };
    const result = await createHttpClient({ fetch, onReachability }).request('/me');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status: 0, code: 'network' });
    expect(onReachability).toHaveBeenCalledWith(false);
  });

  it('reports the server reachable on any HTTP answer', async () => {
    const onReachability = vi.fn();
    await createHttpClient({ fetch: async () => json(401, { error: { code: 'unauthenticated' } }), onReachability }).request('/me');
    expect(onReachability).toHaveBeenCalledWith(true);
  });

  it('treats a caller abort as a cancellation, not as offline', async () => {
    const onReachability = vi.fn();
    const fetch = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      });
    const controller = new AbortController();
    const pending = createHttpClient({ fetch, onReachability }).request('/me', { signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('aborted');
    expect(onReachability).not.toHaveBeenCalled();
  });

  it('times out as a network failure', async () => {
    const fetch = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      });
    const result = await createHttpClient({ fetch, timeoutMs: 5 }).request('/me');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('network');
  });

  it('rejects a body that breaks the contract', async () => {
    const result = await createHttpClient({ fetch: async () => json(200, { id: 1 }) }).request('/me', { schema: userSchema });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('bad_response');
  });

  it('ignores the body of a 204', async () => {
    const result = await createHttpClient({ fetch: async () => new Response(null, { status: 204 }) }).request('/auth/logout', {
      method: 'POST',
    });
    expect(result).toEqual({ ok: true, value: undefined });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
