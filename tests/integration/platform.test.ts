import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

const buildDir = fileURLToPath(new URL('../../build/', import.meta.url));
let pb: TestPocketBase;
let server: TestServer;

beforeAll(async () => {
  if (!existsSync(buildDir + 'index.html')) throw new Error('build/ is missing: npm test builds the PWA before the tests run');
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb });
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
});

describe('health', () => {
  it('is ok with the version while PocketBase answers', async () => {
    const r = await client(server.url).get('/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', db: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  // Health reads a background prober (tests/integration/health.test.ts has the slow case).
  it('turns 503 within 2 s when PocketBase stops and recovers when it is back', async () => {
    await pb.stop();
    const t0 = performance.now();
    let down = await client(server.url).get('/api/v1/health');
    while (down.status !== 503 && performance.now() - t0 < 2_000) {
      await new Promise((r) => setTimeout(r, 25));
      down = await client(server.url).get('/api/v1/health');
    }
    expect(down.status).toBe(503);
    expect(down.body.db).toBe('unavailable');
    const me = await client(server.url).get('/api/v1/me', { cookie: 'hrm_session=abcdefghijklmno.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe('db_unavailable');
    await pb.start();
    const t1 = performance.now();
    let up = await client(server.url).get('/api/v1/health');
    while (up.status !== 200 && performance.now() - t1 < 10_000) {
      await new Promise((r) => setTimeout(r, 25));
      up = await client(server.url).get('/api/v1/health');
    }
    expect(up.status).toBe(200);
    expect((await client(server.url).post('/api/v1/auth/login', { email: 'n@example.com', password: 'whatever whatever' })).status).toBe(401);
  });
});

describe('HTTP edge', () => {
  it('keeps an incoming X-Request-Id and makes one otherwise', async () => {
    const kept = await client(server.url).get('/api/v1/health', { 'x-request-id': 'test-req-42' });
    expect(kept.headers.get('x-request-id')).toBe('test-req-42');
    const made = await client(server.url).get('/api/v1/nothing-here');
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.error.requestId).toBe(id);
    expect(server.logs()).toContain('test-req-42');
  });

  it('answers unknown /api paths with a JSON 404, never the app shell', async () => {
    for (const p of ['/api/v1/nothing', '/api/v2/health', '/api/', '/api/v1/auth/nope']) {
      const r = await client(server.url).get(p);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect(r.body.error.code).toBe('not_found');
    }
  });

  it('sends the security headers, with a CSP that hashes the shell’s inline scripts', async () => {
    const r = await fetch(server.url + '/');
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'self'");
    expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('strict-transport-security')).toBeNull(); // plain http here
  });

  it('caches hashed assets as immutable, and never the shell or the service worker', async () => {
    const shell = await fetch(server.url + '/');
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const route = await fetch(server.url + '/account');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<html');
    const sw = await fetch(server.url + '/sw.js');
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const immutableDir = buildDir + '_app/immutable/entry/';
    const entry = readdirSync(immutableDir).find((f) => f.endsWith('.js'))!;
    const asset = await fetch(`${server.url}/_app/immutable/entry/${entry}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const missing = await fetch(server.url + '/_app/immutable/entry/missing.js');
    expect(missing.status).toBe(404);
    const api = await client(server.url).get('/api/v1/health');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses bodies over the limit with 413 and keeps serving', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) });
    const r = await client(server.url).post('/api/v1/auth/login', big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect((await client(server.url).get('/api/v1/health')).status).toBe(200);
  });

  it('refuses cross-site state changes (CSRF) with 403', async () => {
    const foreign = client(server.url, { origin: 'https://evil.example' });
    const r = await foreign.post('/api/v1/auth/login', { email: 'a@example.com', password: 'whatever whatever' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('csrf_rejected');
    const site = await client(server.url, { origin: null }).post('/api/v1/auth/logout', {}, { 'sec-fetch-site': 'cross-site' });
    expect(site.status).toBe(403);
    const none = await client(server.url, { origin: null }).post('/api/v1/auth/logout', {});
    expect(none.status).toBe(403);
    const same = await client(server.url, { origin: null }).post('/api/v1/auth/logout', {}, { 'sec-fetch-site': 'same-origin' });
    expect(same.status).toBe(204);
  });
});

describe('PocketBase schema', () => {
  it('denies direct API access to every collection of ours: only the superuser (the sync server) reads and writes', async () => {
    const admin = new PocketBase(pb.url);
    admin.autoCancellation(false);
    await admin.collection('_superusers').authWithPassword(pb.superuser.email, pb.superuser.password);
    const ours = (await admin.collections.getFullList()).filter((c) => !c.system);
    expect(ours.map((c) => c.name)).toEqual(expect.arrayContaining(['users', 'sessions', 'auth_events', 'auth_locks']));
    const anonymous = new PocketBase(pb.url);
    anonymous.autoCancellation(false);
    for (const c of ours) {
      for (const rule of ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const) {
        expect((c as unknown as Record<string, unknown>)[rule], `${c.name}.${rule}`).toBeNull();
      }
      const status = await anonymous
        .collection(c.name)
        .getList(1, 1)
        .then(() => 200)
        .catch((e: { status: number }) => e.status);
      expect(status, `anonymous list of ${c.name}`).toBe(403);
    }
  });
});
