import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMemoryAccountStore } from '../auth/memory-account-store';
import { createMemorySessionStore } from '../auth/memory-session-store';
import { createSessions } from '../auth/sessions';
import type { Throttle } from '../auth/throttle';
import { errorResponse } from '../app';
import type { Db } from '../pocketbase/admin-client';
import type { AppEnv } from '../http/types';
import { accountKey, type AuthDeps } from './auth';
import { meRoutes } from './me';

/** /api/v1/me over the in-memory stores (app.request, no socket, no PocketBase). */
function setup() {
  const accounts = createMemoryAccountStore({ onErase: (id) => sessionStore.deleteForUser(id) });
  const sessionStore = createMemorySessionStore(Date.now, (id) => accounts.members.get(id) ?? null);
  const sessions = createSessions(sessionStore, { idleMs: 30 * 86_400_000, maxMs: 90 * 86_400_000 });
  const failed: string[] = [];
  const throttle = {
    checkAccount: async () => ({ ok: true }),
    failedLogin: async (key: string) => void failed.push(key),
  } as unknown as Throttle;
  const passwords = new Map<string, string>();
  const db = {
    verifyPassword: async (email: string, password: string) => {
      const m = [...accounts.members.values()].find((x) => x.email === email);
      return m && passwords.get(m.id) === password ? { id: m.id } : null;
    },
  } as unknown as Db;
  const deps = { db, sessions, throttle, now: Date.now } as unknown as AuthDeps;
  const app = new Hono<AppEnv>();
  app.onError((err, c) => errorResponse(err, c));
  app.route('/me', meRoutes(deps, accounts.store));
  const signIn = async (id: string, email: string, password: string) => {
    accounts.members.set(id, { id, email, name: 'Ann', verified: true });
    passwords.set(id, password);
    const { token } = await sessions.issue(id, 'Phone', Date.now());
    return { cookie: `hrm_session=${token}` };
  };
  const call = (method: string, headers: Record<string, string>, body?: unknown) =>
    app.request('/me', { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { accounts, sessionStore, failed, signIn, call };
}

describe('/api/v1/me', () => {
  it('answers from the session read, and shows a rename on the next request', async () => {
    const { signIn, call } = setup();
    const h = await signIn('u1', 'ann@example.com', 'violet tandem kettle');
    expect(await (await call('GET', h)).json()).toEqual({ id: 'u1', email: 'ann@example.com', name: 'Ann', verified: true });
    expect((await call('PATCH', h, { name: 'Ann L.' })).status).toBe(200);
    expect(((await (await call('GET', h)).json()) as { name: string }).name).toBe('Ann L.');
    expect((await call('GET', {})).status).toBe(401);
  });

  it('deletes only with the password; a wrong one counts as a failed login; afterwards the session is gone', async () => {
    const { signIn, call, accounts, failed, sessionStore } = setup();
    const h = await signIn('u1', 'ann@example.com', 'violet tandem kettle');
    accounts.keyed.add(`acct:${accountKey('ann@example.com')}`).add('refresh:u1').add('now-playing:u1').add('refresh:u2');
    expect((await call('DELETE', h, { password: 'nope nope nope' })).status).toBe(401);
    expect(failed).toEqual([accountKey('ann@example.com')]);
    expect((await call('DELETE', h, { password: 'violet tandem kettle' })).status).toBe(204);
    expect(accounts.members.has('u1')).toBe(false);
    expect([...accounts.keyed]).toEqual(['refresh:u2']);
    expect(await sessionStore.listForUser('u1')).toEqual([]);
    expect((await call('GET', h)).status).toBe(401);
  });
});
