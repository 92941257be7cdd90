import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { DeleteMeBodySchema, UpdateMeBodySchema } from '../../../core/api/auth';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { AccountStore } from '../auth/account-store';
import { requireSession, SESSION_COOKIE } from '../auth/require-session';
import { accountKey, publicUser, type AuthDeps } from './auth';

// Request schemas: the REST contract's (core/api/auth.ts), shared with the PWA.

export function meRoutes(deps: AuthDeps) {
  const { accounts } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireSession(deps.sessions, deps.now));

  // The member came with the session, in the request's one PocketBase read.
  app.get('/', (c) => c.json(publicUser(c.get('session').member)));

  app.patch('/', async (c) => {
    const body = await readJson(c, UpdateMeBodySchema);
    return c.json(publicUser(await accounts.rename(c.get('session').userId, body.name)));
  });

  // Deleting the account removes every row that names the member (auth/account-store.ts).
  app.delete('/', async (c) => {
    const body = await readJson(c, DeleteMeBodySchema);
    const user = c.get('session').member;
    const key = accountKey(user.email);
    // A stolen session must not become a way to guess the password: every check takes a slot
    // of the account's sign-in budget first (atomic limiter, auth/throttle.ts).
    const lock = await deps.throttle.attemptLogin(key, deps.now());
    if (!lock.ok) throw new AppError('account_locked', 'Too many wrong passwords. Try again later.', { retryAfterSec: lock.retryAfterSec });
    const ok = await accounts.checkPassword(user.email, body.password);
    if (!ok || ok.id !== user.id) throw new AppError('invalid_credentials', 'Wrong password.');
    await accounts.erase({ id: user.id, accountKey: key, email: user.email });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
