import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { LogFn, Logger } from 'pino';
import { ensureHeaders } from './security-headers';
import type { AppEnv } from './types';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What handlers log through: the request's logger (every line carries its `reqId`). */
export interface RequestLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/**
 * The per-request logger, made (a pino child with `reqId`) only when a handler logs: most
 * requests log nothing but their request line, which needs no child.
 */
class LazyRequestLogger implements RequestLogger {
  #child: Logger | undefined;
  constructor(
    private readonly logger: Logger,
    private readonly reqId: string,
  ) {}
  get #log(): Logger {
    return (this.#child ??= this.logger.child({ reqId: this.reqId }));
  }
  debug: LogFn = (...args: Parameters<LogFn>) => this.#log.debug(...args);
  info: LogFn = (...args: Parameters<LogFn>) => this.#log.info(...args);
  warn: LogFn = (...args: Parameters<LogFn>) => this.#log.warn(...args);
  error: LogFn = (...args: Parameters<LogFn>) => this.#log.error(...args);
}

/**
 * Request id and one JSON log line per request. An incoming X-Request-Id is kept (when it
 * is a sane token) and returned. Only the path is logged: query strings may carry tokens.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', new LazyRequestLogger(logger, requestId));
    const started = performance.now();
    // Before the handler, so it is part of the response the handler builds (see ensureHeaders).
    c.header('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      ensureHeaders(c, [['X-Request-Id', requestId]]);
      const status = c.res.status;
      // The same line the request's child logger would write (`reqId` first), without making one.
      const line = { reqId: requestId, method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) };
      if (status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
