import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../http/errors';
import type { AppEnv } from '../http/types';
import type { Sessions } from './sessions';

export const SESSION_COOKIE = 'hrm_session';

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** 401 unless the request carries a live session; puts it on the context. */
export function requireSession(sessions: Sessions, now: () => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await sessions.authenticate(readSessionCookie(c), now());
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    c.set('session', session);
    await next();
  };
}
