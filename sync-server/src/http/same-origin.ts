import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for every state-changing request (not only form posts): it must say it comes
 * from our own origin, either by `Sec-Fetch-Site: same-origin` (Fetch Metadata) or by an
 * `Origin` equal to ours. A request with neither is refused as well.
 */
export function sameOriginOnly(ownOrigin: (url: URL, headers: Headers) => string): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (site !== undefined && site !== 'same-origin') {
      throw new AppError('csrf_rejected', 'Cross-site requests are not allowed.');
    }
    if (site === 'same-origin') return next();
    if (origin && origin === ownOrigin(new URL(c.req.url), c.req.raw.headers)) return next();
    throw new AppError('csrf_rejected', 'This request must come from the app (Origin header missing or foreign).');
  };
}
