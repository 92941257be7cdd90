import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import { requireSession, SESSION_COOKIE } from '../auth/require-session';
import { accountKey, publicUser, type AuthDeps } from './auth';

const PatchBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
const DeleteBody = z.strictObject({ password: z.string().min(1).max(1024) });
type UserRow = { id: string; email: string; name: string; verified: boolean };

export function meRoutes(deps: AuthDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireSession(deps.sessions, deps.now));
  const users = () => deps.db.pb.collection('users');

  app.get('/', async (c) => c.json(publicUser(await users().getOne<UserRow>(c.get('session').userId))));

  app.patch('/', async (c) => {
    const body = await readJson(c, PatchBody);
    return c.json(publicUser(await users().update<UserRow>(c.get('session').userId, { name: body.name })));
  });

  // Deleting the account removes every record it owns: relations to users cascade.
  app.delete('/', async (c) => {
    const body = await readJson(c, DeleteBody);
    const user = await users().getOne<UserRow>(c.get('session').userId);
    const key = accountKey(user.email);
    const lock = await deps.throttle.checkAccount(key, deps.now());
    if (!lock.ok) throw new AppError('account_locked', 'Too many wrong passwords. Try again later.', { retryAfterSec: lock.retryAfterSec });
    const ok = await deps.db.verifyPassword(user.email, body.password);
    if (!ok || ok.id !== user.id) {
      // A stolen session must not become a way to guess the password.
      await deps.throttle.failedLogin(key, deps.now());
      throw new AppError('invalid_credentials', 'Wrong password.');
    }
    await users().delete(user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
