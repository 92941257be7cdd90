import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

/**
 * Issue 11, hot path: an authenticated request makes at most one PocketBase read (the session
 * with its member), and GET /api/v1/me answers from it. The sync server reaches PocketBase
 * through a proxy that records every request (health probes aside).
 */
let pb: TestPocketBase;
let proxy: Server;
let seen: string[] = [];
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  proxy = createServer((req, res) => {
    if (req.url !== '/api/health') seen.push(`${req.method} ${req.url}`);
    const up = request({ host: '127.0.0.1', port: pb.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  server = await startSyncServer({ pb: { url, superuser: pb.superuser } });
});

afterAll(async () => {
  await server?.stop();
  proxy?.closeAllConnections();
  proxy?.close();
  await pb?.dispose();
});

describe('authenticated hot path', () => {
  it('GET /api/v1/me makes exactly one PocketBase request, a read of the session with its member (one view record, no expand)', async () => {
    const m = newMember('hot');
    const c = client(server.url);
    expect((await c.post('/api/v1/auth/register', m)).status).toBe(202);
    const login = await c.post('/api/v1/auth/login', { email: m.email, password: m.password });
    expect(login.status).toBe(200);
    for (let i = 0; i < 5; i++) {
      seen = [];
      const me = await c.get('/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: login.body.user.id, email: m.email, name: m.name, verified: false });
      expect(seen, seen.join('\n')).toHaveLength(1);
      expect(seen[0]).toMatch(/^GET \/api\/collections\/session_members\/records\/[a-z0-9]{15}(\?|$)/);
      expect(seen[0]).not.toContain('expand');
    }
    // A name change shows on the next request: the member is read with the session, not cached.
    expect((await c.patch('/api/v1/me', { name: 'Renamed Member' })).status).toBe(200);
    seen = [];
    expect((await c.get('/api/v1/me')).body.name).toBe('Renamed Member');
    expect(seen).toHaveLength(1);
  });

  it('an unknown session costs one read and answers 401', async () => {
    seen = [];
    const r = await client(server.url).get('/api/v1/me', { cookie: 'hrm_session=abcdefghijklmno.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(r.status).toBe(401);
    expect(seen).toHaveLength(1);
  });
});
