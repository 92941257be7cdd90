import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// Two sync-server processes sharing one PocketBase act as one: nothing that correctness
// depends on is kept in a process's memory.
let pb: TestPocketBase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  [a, b] = await Promise.all([startSyncServer({ pb }), startSyncServer({ pb })]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pb?.dispose();
});

/** The same cookie jar used against either process (as behind a load balancer). */
function device(jarFrom: ReturnType<typeof client>, base: string) {
  const c = client(base);
  for (const [k, v] of jarFrom.jar) c.jar.set(k, v);
  return c;
}

describe('two server processes, one PocketBase', () => {
  it('a session revoked through one process is refused by the other on its next request', async () => {
    const m = newMember();
    const viaA = client(a.url);
    expect((await viaA.post('/api/v1/auth/register', m)).status).toBe(202);
    expect((await viaA.post('/api/v1/auth/login', { ...m, name: undefined, deviceName: 'phone' })).status).toBe(200);
    const phoneOnB = device(viaA, b.url);
    expect((await phoneOnB.get('/api/v1/me')).status).toBe(200);

    const tablet = client(b.url);
    expect((await tablet.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: 'tablet' })).status).toBe(200);
    const sessions = (await tablet.get('/api/v1/auth/sessions')).body.sessions;
    const phone = sessions.find((s: any) => s.deviceName === 'phone');
    expect((await tablet.del(`/api/v1/auth/sessions/${phone.id}`)).status).toBe(204);

    expect((await phoneOnB.get('/api/v1/me')).status).toBe(401);
    expect((await device(viaA, a.url).get('/api/v1/me')).status).toBe(401);
  });

  it('failed logins are counted across both processes', async () => {
    const m = newMember();
    const ca = client(a.url);
    const cb = client(b.url);
    await ca.post('/api/v1/auth/register', m);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const c = i % 2 === 0 ? ca : cb;
      statuses.push((await c.post('/api/v1/auth/login', { email: m.email, password: `nope nope nope ${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const onA = await ca.post('/api/v1/auth/login', { email: m.email, password: m.password });
    const onB = await cb.post('/api/v1/auth/login', { email: m.email, password: m.password });
    expect(onA.status).toBe(429);
    expect(onB.status).toBe(429);
    expect(onB.body.error.code).toBe('account_locked');
  });

  it('the lock survives a restart of a server process', async () => {
    const m = newMember();
    const ca = client(a.url);
    await ca.post('/api/v1/auth/register', m);
    for (let i = 0; i < 5; i++) await ca.post('/api/v1/auth/login', { email: m.email, password: `nope nope nope ${i}` });
    expect(await a.stop()).toBe(0);
    a = await startSyncServer({ pb });
    const r = await client(a.url).post('/api/v1/auth/login', { email: m.email, password: m.password });
    expect(r.status).toBe(429);
  });
});
