import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

function app() {
  const a = new Hono();
  a.use('*', securityHeaders({ scriptHashes: () => ['abc'], https: true }));
  a.get('/json', (c) => c.json({ ok: true }));
  a.get('/raw', () => new Response('raw', { headers: { 'content-type': 'text/plain' } }));
  a.get('/override', (c) => {
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.text('x');
  });
  a.get('/throws', () => {
    throw new Error('boom');
  });
  a.get('/api/v1/thing', (c) => c.json({ ok: true }));
  a.get('/api/v1/throws', () => {
    throw new Error('boom');
  });
  a.onError((_e, c) => c.json({ error: true }, 500));
  return a;
}

describe('securityHeaders', () => {
  it.each(['/json', '/raw', '/override', '/throws', '/missing'])('sets every header on %s, whatever built the response', async (path) => {
    const res = await app().request(path);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'sha256-abc'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('bluetooth=(self)');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
  });

  it.each(['/api/v1/thing', '/api/v1/throws', '/api/v1/missing'])('sets the API set (OWASP REST) on %s: nothing allowed, no framing, no document headers', async (path) => {
    const res = await app().request(path);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
    for (const h of ['referrer-policy', 'cross-origin-opener-policy', 'permissions-policy']) expect(res.headers.get(h)).toBeNull();
  });

  it('keeps the body of a response the handler built itself', async () => {
    expect(await (await app().request('/raw')).text()).toBe('raw');
    expect(await (await app().request('/json')).json()).toEqual({ ok: true });
  });
});
