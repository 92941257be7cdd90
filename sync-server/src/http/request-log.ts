import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './types';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request id and one JSON log line per request. An incoming X-Request-Id is kept (when it
 * is a sane token) and returned. Only the path is logged: query strings may carry tokens.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = performance.now();
    try {
      await next();
    } finally {
      c.header('X-Request-Id', requestId);
      const status = c.res.status;
      const line = { method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) };
      if (status >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    }
  };
}
