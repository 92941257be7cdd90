import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  DeviceSessionIdSchema,
  ForgotPasswordBodySchema,
  LoginBodySchema,
  RegisterBodySchema,
  ResetPasswordBodySchema,
  TokenBodySchema,
} from '../../../core/api/auth';
import { AppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import type { AccountStore } from '../auth/account-store';
import { passwordMessages, type PasswordPolicy } from '../auth/password-policy';
import { readSessionCookie, requireSession, SESSION_COOKIE } from '../auth/require-session';
import type { Sessions } from '../auth/sessions';
import type { Throttle } from '../auth/throttle';
import { withTimingFloor } from '../auth/timing';

export interface AuthDeps {
  /** Members' accounts (PocketBase's `users` in app.ts; memory-account-store.ts in tests). */
  accounts: AccountStore;
  sessions: Sessions;
  throttle: Throttle;
  passwords: PasswordPolicy;
  now: () => number;
  /** Whether cookies get the Secure flag (HTTPS, directly or behind a proxy). */
  secureCookies: (c: Context) => boolean;
  sessionIdleMs: number;
  /** Minimum response time of register / login / forgot (see auth/timing.ts). */
  timingFloorMs: number;
}

// Request schemas: the REST contract's (core/api/auth.ts), shared with the PWA.

export type PublicUser = { id: string; email: string; name: string; verified: boolean };
type UserRow = { id: string; email: string; name: string; verified: boolean };
export const publicUser = (u: UserRow): PublicUser => ({ id: u.id, email: u.email, name: u.name, verified: u.verified });

/** Locks and failure counts are keyed by a hash of the address, never the address itself. */
export const accountKey = (mail: string) => createHash('sha256').update(mail).digest('hex').slice(0, 32);

/** 400 unless the password meets core/auth/password-rules.ts (PocketBase's byte limit included). */
async function checkPassword(deps: AuthDeps, pw: string, who: { email?: string; name?: string }) {
  const problem = await deps.passwords.check(pw, who);
  if (problem === 'too_long') throw new AppError('password_too_long', passwordMessages[problem]);
  if (problem) throw new AppError('weak_password', passwordMessages[problem]);
}

function tokenUserId(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { id?: unknown };
    return typeof payload.id === 'string' ? payload.id : null;
  } catch {
    return null;
  }
}

export function authRoutes(deps: AuthDeps) {
  const app = new Hono<AppEnv>();
  const { accounts } = deps;
  const auth = requireSession(deps.sessions, deps.now);

  const limitAddress = async (c: Context<AppEnv>) => {
    const v = await deps.throttle.hitAddress(c.get('clientAddress'), deps.now());
    if (!v.ok) throw new AppError(v.code, 'Too many attempts. Try again in a minute.', { retryAfterSec: v.retryAfterSec });
  };

  const setSessionCookie = (c: Context, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies(c),
      path: '/',
      maxAge: Math.floor(deps.sessionIdleMs / 1000),
    });

  app.post('/register', async (c) => {
    const body = await readJson(c, RegisterBodySchema);
    await limitAddress(c);
    await withTimingFloor(deps.timingFloorMs, async () => {
      // Inside the floor: the estimator's time varies with the password, and every register
      // answer, 400 included, takes the same time.
      await checkPassword(deps, body.password, { email: body.email, name: body.name });
      const outcome = await accounts.register({ email: body.email, password: body.password, name: body.name });
      if (!outcome.created) {
        // Most likely the address is taken: answer exactly as for a new account.
        c.get('log').info({ reason: outcome.fields }, 'register: not created');
        return;
      }
      // Not awaited: sending mail must not change the response time or fail the sign-up.
      void accounts
        .requestVerification(body.email)
        .catch((err: Error) => c.get('log').warn({ err: err.message }, 'verification mail could not be sent'));
    });
    return c.json({ status: 'ok' }, 202);
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginBodySchema);
    await limitAddress(c);
    const key = accountKey(body.email);
    const outcome = await withTimingFloor(deps.timingFloorMs, async () => {
      const now = deps.now();
      // One slot of the account's budget is taken before the password check (atomic limiter).
      const lock = await deps.throttle.attemptLogin(key, now);
      if (!lock.ok) return lock;
      const user = await accounts.checkPassword(body.email, body.password);
      if (!user) return null;
      await deps.throttle.succeededLogin(key);
      const device = body.deviceName || c.req.header('user-agent')?.slice(0, 100) || 'Unknown device';
      const issued = await deps.sessions.issue(user.id, device, now);
      return { token: issued.token, user: publicUser(user) };
    });
    if (outcome === null) throw new AppError('invalid_credentials', 'Wrong email or password.');
    if ('ok' in outcome) {
      throw new AppError('account_locked', 'Too many failed sign-ins for this account. Try again later.', {
        retryAfterSec: outcome.retryAfterSec,
      });
    }
    setSessionCookie(c, outcome.token);
    return c.json({ user: outcome.user });
  });

  app.post('/logout', async (c) => {
    const session = await deps.sessions.authenticate(readSessionCookie(c), deps.now());
    if (session) await deps.sessions.revoke(session.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/sessions', auth, async (c) => {
    const current = c.get('session');
    const list = await deps.sessions.list(current.userId);
    return c.json({
      sessions: list.map((s) => ({
        id: s.id,
        deviceName: s.deviceName,
        created: new Date(s.created).toISOString(),
        lastSeen: new Date(s.lastSeen).toISOString(),
        current: s.id === current.id,
      })),
    });
  });

  app.delete('/sessions/:id', auth, async (c) => {
    const id = DeviceSessionIdSchema.safeParse(c.req.param('id'));
    const current = c.get('session');
    const mine = id.success ? (await deps.sessions.list(current.userId)).find((s) => s.id === id.data) : undefined;
    if (!mine) throw new AppError('not_found', 'No such session.');
    await deps.sessions.revoke(mine.id);
    if (mine.id === current.id) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.post('/sessions/revoke-all', auth, async (c) => {
    await deps.sessions.revokeAll(c.get('session').userId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.post('/verify/request', auth, async (c) => {
    await limitAddress(c);
    const user = await accounts.member(c.get('session').userId);
    if (user && !user.verified) {
      void accounts
        .requestVerification(user.email)
        .catch((err: Error) => c.get('log').warn({ err: err.message }, 'verification mail could not be sent'));
    }
    return c.json({ status: 'ok' }, 202);
  });

  app.post('/verify/confirm', async (c) => {
    const body = await readJson(c, TokenBodySchema);
    if (!(await accounts.confirmVerification(body.token))) throw new AppError('invalid_token', 'This link is invalid or has expired.');
    return c.json({ verified: true });
  });

  app.post('/password/forgot', async (c) => {
    const body = await readJson(c, ForgotPasswordBodySchema);
    await limitAddress(c);
    await withTimingFloor(deps.timingFloorMs, async () => {
      void accounts
        .requestPasswordReset(body.email)
        .catch((err: Error) => c.get('log').warn({ err: err.message }, 'reset mail could not be sent'));
    });
    return c.json({ status: 'ok' }, 202);
  });

  app.post('/password/reset', async (c) => {
    const body = await readJson(c, ResetPasswordBodySchema);
    await checkPassword(deps, body.password, {});
    await limitAddress(c);
    if (!(await accounts.resetPassword(body.token, body.password))) throw new AppError('invalid_token', 'This link is invalid or has expired.');
    // PocketBase accepted the token, so its claims are genuine: sign that member out everywhere.
    const userId = tokenUserId(body.token);
    if (userId) await deps.sessions.revokeAll(userId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}
