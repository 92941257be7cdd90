import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './types';

/**
 * The client's address for rate limits: the socket's peer, or the first X-Forwarded-For
 * hop when TRUST_PROXY says a reverse proxy in front of us sets it.
 */
export function clientAddress(trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let addr: string | undefined;
    if (trustProxy) addr = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (!addr) {
      try {
        addr = getConnInfo(c).remote.address;
      } catch {
        addr = undefined; // app.request() in tests has no socket
      }
    }
    c.set('clientAddress', addr || 'unknown');
    await next();
  };
}
