import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// Every endpoint that takes a body gets malformed JSON, wrong types, missing and unknown
// fields, a 2 MB body and filter-injection strings: each answers a 4xx with a code, stored
// data stays intact and the server keeps serving.
let pb: TestPocketBase;
let server: TestServer;
let member: ReturnType<typeof newMember>;
let signedIn: ReturnType<typeof client>;

beforeAll(async () => {
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
  member = newMember();
  signedIn = client(server.url);
  await signedIn.post('/api/v1/auth/register', member);
  await signedIn.post('/api/v1/auth/login', { email: member.email, password: member.password });
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
});

type Endpoint = { method: string; path: string; valid: Record<string, unknown>; auth?: boolean };
const endpoints: Endpoint[] = [
  { method: 'POST', path: '/api/v1/auth/register', valid: { email: 'x@example.com', password: 'violet tandem kettle', name: 'X' } },
  { method: 'POST', path: '/api/v1/auth/login', valid: { email: 'x@example.com', password: 'violet tandem kettle' } },
  { method: 'POST', path: '/api/v1/auth/password/forgot', valid: { email: 'x@example.com' } },
  { method: 'POST', path: '/api/v1/auth/password/reset', valid: { token: 'aaaaaaaaaaaaaaaa', password: 'violet tandem kettle' } },
  { method: 'POST', path: '/api/v1/auth/verify/confirm', valid: { token: 'aaaaaaaaaaaaaaaa' } },
  { method: 'PATCH', path: '/api/v1/me', valid: { name: 'New' }, auth: true },
  { method: 'DELETE', path: '/api/v1/me', valid: { password: 'whatever' }, auth: true },
];

const injections = [`" || 1=1 || "`, `x@example.com' || email != '`, `') OR 1=1 --`, `@request.auth.id != ''`, '{:email}', '\u0000'];

describe.each(endpoints)('$method $path', (ep) => {
  const c = () => (ep.auth ? signedIn : client(server.url));
  const send = (body: unknown, headers?: Record<string, string>) => c().request(ep.method, ep.path, body, headers);
  const expect4xx = (r: { status: number; body: any }, codes: string[]) => {
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(codes).toContain(r.body.error.code);
    expect(typeof r.body.error.message).toBe('string');
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  };

  it('malformed JSON → 400 invalid_json', async () => {
    expect4xx(await send('{"email": '), ['invalid_json']);
    expect4xx(await send('not json at all'), ['invalid_json']);
  });
  it('not JSON content type → 400', async () => {
    expect4xx(await send('email=x', { 'content-type': 'application/x-www-form-urlencoded' }), ['invalid_json']);
  });
  it('wrong types → 400 invalid_body', async () => {
    for (const k of Object.keys(ep.valid)) {
      expect4xx(await send({ ...ep.valid, [k]: 12345 }), ['invalid_body']);
      expect4xx(await send({ ...ep.valid, [k]: { nested: true } }), ['invalid_body']);
    }
    expect4xx(await send([1, 2, 3]), ['invalid_body']);
    expect4xx(await send('null'), ['invalid_body']);
  });
  it('missing fields → 400 invalid_body', async () => {
    for (const k of Object.keys(ep.valid)) {
      const { [k]: _gone, ...rest } = ep.valid;
      expect4xx(await send(rest), ['invalid_body']);
    }
  });
  it('unknown fields → 400 invalid_body', async () => {
    expect4xx(await send({ ...ep.valid, isAdmin: true }), ['invalid_body']);
  });
  it('a 2 MB body → 413', async () => {
    // Several times: the answer closes the connection, and it must reach the client every time
    // (the server reads the rest of the body first; a reset would lose the 413).
    const big = JSON.stringify({ ...ep.valid, pad: 'x'.repeat(2 * 1024 * 1024) });
    for (let i = 0; i < 5; i++) {
      const r = await send(big);
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('payload_too_large');
    }
  });
  it('filter-injection strings → a 4xx, never a 5xx', async () => {
    for (const inj of injections) {
      for (const k of Object.keys(ep.valid)) {
        const r = await send({ ...ep.valid, [k]: inj });
        expect(r.status, `${k}=${inj}`).toBeLessThan(500);
      }
    }
  });
});

describe('after all that', () => {
  it('the server still serves and the stored member is intact', async () => {
    expect((await client(server.url).get('/api/v1/health')).status).toBe(200);
    const me = await signedIn.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(member.email);
    // The injection probes of DELETE /me were wrong passwords: they count as failed sign-ins,
    // so the account is now locked, by design, rather than open to guessing.
    const again = client(server.url);
    const login = await again.post('/api/v1/auth/login', { email: member.email, password: member.password });
    expect(login.status).toBe(429);
    expect(login.body.error.code).toBe('account_locked');
  });

  it('session ids in paths are validated (injection in the path → 404)', async () => {
    for (const id of ["abc' || '1'='1", '..%2F..%2Fetc', 'a'.repeat(15) + "'"]) {
      const r = await signedIn.del(`/api/v1/auth/sessions/${encodeURIComponent(id)}`);
      expect(r.status).toBe(404);
    }
  });
});
