import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request as httpsRequest } from 'node:https';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SUPERUSER_FILE } from '../../sync-server/src/pocketbase/local-superuser';
import { client, newMember } from '../support/http-client';
import { freePort } from '../support/ports';
import { startSyncServer, type TestServer } from '../support/sync-server';

/** Addresses (hex, as in /proc/net/tcp) that listen on a TCP port. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  const v6 = readFileSync('/proc/net/tcp6', 'utf8').split('\n').slice(1);
  return [...rows, ...v6]
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
    .map((f) => f[1]!.split(':')[0]!);
}

describe('embedded PocketBase (the npm start path)', () => {
  let dataDir: string;
  let pbPort: number;
  let server: TestServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hrm-embedded-'));
    pbPort = await freePort();
    server = await startSyncServer({ env: { PB_DATA_DIR: dataDir, PB_PORT: String(pbPort) } });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates the superuser once, stores it with mode 0600, never logs it', async () => {
    const file = path.join(dataDir, LOCAL_SUPERUSER_FILE);
    const mode = (await stat(file)).mode & 0o777;
    expect(mode).toBe(0o600);
    const creds = JSON.parse(await readFile(file, 'utf8'));
    expect(creds.password.length).toBeGreaterThanOrEqual(24);
    expect(server.logs()).not.toContain(creds.password);
  });

  it('without SMTP settings prints the verification mail with its link to the console', async () => {
    const m = newMember('console');
    await client(server.url).post('/api/v1/auth/register', m);
    await expect.poll(() => server.logs(), { timeout: 10_000 }).toMatch(new RegExp(`mail to ${m.email.replace('.', '\\.')}[^\\n]*\\n\\s+http://127\\.0\\.0\\.1:${server.port}/verify-email\\?token=`));
  });

  it('serves PocketBase on 127.0.0.1 only', () => {
    expect(listeners(pbPort)).toEqual(['0100007F']);
  });

  it('on SIGTERM finishes the request in flight, stops PocketBase and exits 0', async () => {
    const m = newMember();
    const c = client(server.url);
    await c.post('/api/v1/auth/register', m);
    // SIGTERM only once the server is handling the login: its first step takes a slot of the
    // client address's auth budget in PocketBase (auth/throttle.ts; kept after a success,
    // unlike the account's), so one more such row says the request is in the server's hands.
    const creds = JSON.parse(await readFile(path.join(dataDir, LOCAL_SUPERUSER_FILE), 'utf8'));
    const admin = new PocketBase(`http://127.0.0.1:${pbPort}`);
    admin.autoCancellation(false);
    await admin.collection('_superusers').authWithPassword(creds.email, creds.password);
    const addressSlots = async () => (await admin.collection('limiter_slots').getList(1, 1, { filter: "key ~ 'ip:%'" })).totalItems;
    const before = await addressSlots();
    const inFlight = c.post('/api/v1/auth/login', { email: m.email, password: m.password }); // ≥ 450 ms
    for (let i = 0; (await addressSlots()) === before; i++) {
      if (i > 5_000) throw new Error('the login never reached the server');
    }
    const code = server.stop('SIGTERM');
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(await code).toBe(0);
    expect(listeners(pbPort)).toEqual([]);
    expect(listeners(server.port)).toEqual([]);
  });

  it('keeps the data and the superuser across a restart', async () => {
    const again = await startSyncServer({ env: { PB_DATA_DIR: dataDir, PB_PORT: String(pbPort) } });
    try {
      expect((await client(again.url).get('/api/v1/health')).status).toBe(200);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('after a SIGKILL (PocketBase left running) the next start takes over and keeps the data', async () => {
    const m = newMember('killed');
    const first = await startSyncServer({ env: { PB_DATA_DIR: dataDir, PB_PORT: String(pbPort) } });
    await client(first.url).post('/api/v1/auth/register', m);
    await first.stop('SIGKILL');
    expect(listeners(pbPort)).toEqual(['0100007F']); // the orphaned PocketBase still holds the port
    const next = await startSyncServer({ env: { PB_DATA_DIR: dataDir, PB_PORT: String(pbPort) } });
    try {
      expect(next.logs()).toMatch(/left running by an earlier process/);
      const login = await client(next.url).post('/api/v1/auth/login', { email: m.email, password: m.password });
      expect(login.status).toBe(200);
    } finally {
      expect(await next.stop()).toBe(0);
    }
  });
});

describe('configuration errors stop start-up and name the variable', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['PB_URL without superuser', { PB_URL: 'http://127.0.0.1:1' }, /PB_SUPERUSER_EMAIL/],
    ['a bad PORT', { PORT: 'eighty' }, /PORT/],
    ['a certificate without a key', { TLS_CERT_FILE: '/tmp/x.pem' }, /TLS_KEY_FILE/],
    ['a short superuser password', { PB_SUPERUSER_EMAIL: 'a@example.com', PB_SUPERUSER_PASSWORD: 'short' }, /PB_SUPERUSER_PASSWORD/],
    ['a bad PUBLIC_ORIGIN', { PUBLIC_ORIGIN: 'not a url' }, /PUBLIC_ORIGIN/],
  ];
  it.each(cases)('%s', async (_name, env, pattern) => {
    const s = await startSyncServer({ env, waitHealthy: false });
    const code = await s.exited;
    expect(code).toBe(2);
    expect(s.logs()).toMatch(pattern);
    expect(s.logs()).toMatch(/configuration error/);
  });
});

describe('HTTPS', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hrm-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    server = await startSyncServer({
      env: { PB_DATA_DIR: path.join(dir, 'pb'), PB_PORT: String(await freePort()), TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') },
      waitHealthy: false,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** One HTTPS request to our self-signed server (Node's fetch cannot skip verification). */
  const tlsRequest = (method: string, url: string, body?: unknown) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      const origin = new URL(url).origin;
      const req = httpsRequest(url, { method, rejectUnauthorized: false, headers: { origin, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it('serves HTTPS with HSTS and Secure cookies when TLS_CERT_FILE/TLS_KEY_FILE are set', async () => {
    const base = `https://127.0.0.1:${server.port}`;
    let health: Awaited<ReturnType<typeof tlsRequest>> | null = null;
    for (let i = 0; i < 300 && !health; i++) {
      try {
        health = await tlsRequest('GET', `${base}/api/v1/health`);
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(health!.status).toBe(200);
    expect(health!.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const m = newMember();
    await tlsRequest('POST', `${base}/api/v1/auth/register`, m);
    const login = await tlsRequest('POST', `${base}/api/v1/auth/login`, { email: m.email, password: m.password });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/Secure/);
  });
});
