import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMemoryAccountStore } from '../auth/memory-account-store';
import { createMemorySessionStore } from '../auth/memory-session-store';
import { createSessions } from '../auth/sessions';
import { createMemoryLimiter } from '../auth/memory-limiter';
import { createThrottle } from '../auth/throttle';
import { errorResponse } from '../app';
import type { AppEnv } from '../http/types';
import { accountKey, type AuthDeps } from './auth';
import { meRoutes } from './me';

/** /api/v1/me over the in-memory stores (app.request, no socket, no PocketBase). */
function setup() {
  const accounts = createMemoryAccountStore({ onErase: (id) => sessionStore.deleteForUser(id) });
  const sessionStore = createMemorySessionStore(Date.now, (id) => accounts.members.get(id) ?? null);
  const sessions = createSessions(sessionStore, { idleMs: 30 * 86_400_000, maxMs: 90 * 86_400_000 });
  // The real sign-in limits over the in-memory limiter: 2 password checks per window.
  const throttle = createThrottle(createMemoryLimiter(), { perAddressPerMinute: 30, lockThreshold: 2, lockWindowMs: 15 * 60_000 });
  const deps = { accounts: accounts.store, sessions, throttle, now: Date.now } as unknown as AuthDeps;
  const app = new Hono<AppEnv>();
  app.onError((err, c) => errorResponse(err, c));
  app.route('/me', meRoutes(deps));
  const signIn = async (id: string, email: string, password: string) => {
    accounts.members.set(id, { id, email, name: 'Ann', verified: true });
    accounts.passwords.set(id, password);
    const { token } = await sessions.issue(id, 'Phone', Date.now());
    return { cookie: `hrm_session=${token}` };
  };
  const call = (method: string, headers: Record<string, string>, body?: unknown) =>
    app.request('/me', { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { accounts, sessionStore, signIn, call };
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

  it('deletes only with the password; each try takes a sign-in slot (a stolen session cannot guess); afterwards the session is gone', async () => {
    const { signIn, call, accounts } = setup();
    const h = await signIn('u1', 'ann@example.com', 'violet tandem kettle');
    expect((await call('DELETE', h, { password: 'nope nope nope' })).status).toBe(401);
    expect((await call('DELETE', h, { password: 'nope again nope' })).status).toBe(401);
    // The account's budget (2) is used up: even the right password waits for the window.
    const locked = await call('DELETE', h, { password: 'violet tandem kettle' });
    expect(locked.status).toBe(429);
    expect(accounts.members.has('u1')).toBe(true);
  });

  it('deletes with the right password and leaves nothing keyed by the member', async () => {
    const { signIn, call, accounts, sessionStore } = setup();
    const h = await signIn('u1', 'ann@example.com', 'violet tandem kettle');
    accounts.keyed.add(`acct:${accountKey('ann@example.com')}`).add('refresh:u1').add('now-playing:u1').add('invite:u1').add('refresh:u2');
    expect((await call('DELETE', h, { password: 'violet tandem kettle' })).status).toBe(204);
    expect(accounts.members.has('u1')).toBe(false);
    expect([...accounts.keyed]).toEqual(['refresh:u2']);
    expect(await sessionStore.listForUser('u1')).toEqual([]);
    expect((await call('GET', h)).status).toBe(401);
  });
});
