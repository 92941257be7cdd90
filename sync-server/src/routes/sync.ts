import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, PullRequestSchema, PushRequestSchema, SessionChunksRequestSchema, SyncSessionIdSchema } from '../../../core/api';
import { requireSession } from '../auth/require-session';
import type { Sessions } from '../auth/sessions';
import { AppError, isAppError } from '../http/errors';
import { readJson } from '../http/json-body';
import type { AppEnv } from '../http/types';
import { loadSyncConfig, type SyncConfig } from '../sync/config';
import { createSyncService, SyncRequestError } from '../sync/service';
import type { SyncStore } from '../sync/store';

export interface SyncDeps {
  sessions: Sessions;
  now: () => number;
  /** Defaults to SYNC_* from the environment (sync/config.ts). */
  syncConfig?: SyncConfig;
  /** The sync store (app.ts: pb-sync-store.ts; tests: memory-sync-store.ts). */
  syncStore: SyncStore;
}

const storeOf = (deps: SyncDeps): SyncStore => deps.syncStore;

/** The protocol's request-level codes (docs/sync-protocol.md §2) instead of the generic ones. */
function asSyncError(e: unknown): unknown {
  if (isAppError(e) && (e.code === 'invalid_json' || e.code === 'invalid_body' || e.code === 'invalid_query')) {
    return new AppError('invalid_request', e.message);
  }
  if (e instanceof SyncRequestError) {
    if (e.code === 'stale_cursor') return new AppError('stale_cursor', e.message);
    if (e.code === 'payload_too_large') return new AppError('payload_too_large', e.message);
    if (e.code === 'not_found') return new AppError('not_found', e.message);
    return new AppError('sync_busy', e.message, { retryAfterSec: 1 });
  }
  return e;
}

function checkProtocol(value: unknown) {
  const protocol = (value as { protocol?: unknown } | null)?.protocol;
  // Versions 1 and 2 still sync sessions (docs/sync-protocol.md §8 and §9, "Protocol versions").
  if (!(SUPPORTED_PROTOCOLS as readonly unknown[]).includes(protocol)) {
    throw new AppError('unsupported_protocol', `This server speaks sync protocols ${SUPPORTED_PROTOCOLS.join(', ')} (current ${PROTOCOL_VERSION}); please update the app.`);
  }
}

function invalid(error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'body';
  const what = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
  return new AppError('invalid_request', `${where}: ${what}`);
}

const numberish = (v: string | undefined) => (v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : v);

/** The pull request travels in the query string: ?protocol=1&deviceId=…&cursor=…&limit=…&kinds=… */
function pullRequestFromQuery(c: Context) {
  const q = c.req.query();
  const { protocol, cursor, limit, ...rest } = q;
  const value = {
    ...rest,
    protocol: numberish(protocol),
    cursor: cursor === undefined || cursor === '' ? null : cursor,
    ...(limit === undefined ? {} : { limit: numberish(limit) }),
  };
  checkProtocol(value);
  const parsed = PullRequestSchema.safeParse(value);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

/** ?protocol=1&deviceId=…&from=…&limit=… */
function sessionChunksRequestFromQuery(c: Context) {
  const { protocol, from, limit, ...rest } = c.req.query();
  const value = {
    ...rest,
    protocol: numberish(protocol),
    ...(from === undefined ? {} : { from: numberish(from) }),
    ...(limit === undefined ? {} : { limit: numberish(limit) }),
  };
  checkProtocol(value);
  const parsed = SessionChunksRequestSchema.safeParse(value);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

export function syncRoutes(deps: SyncDeps) {
  const app = new Hono<AppEnv>();
  const service = createSyncService({
    store: storeOf(deps),
    config: deps.syncConfig ?? loadSyncConfig(process.env),
    now: deps.now,
  });
  app.use('*', requireSession(deps.sessions, deps.now));

  // Hono hands a handler's error straight to the app's onError, so translate it here.
  const handle = (fn: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof SyncRequestError && e.detail) c.get('log').warn({ detail: e.detail }, 'sync: commit attempts exhausted');
      throw asSyncError(e);
    }
  };

  app.post(
    '/push',
    handle(async (c) => {
      const raw = await readJson(c, z.unknown());
      checkProtocol(raw);
      const parsed = PushRequestSchema.safeParse(raw);
      if (!parsed.success) throw invalid(parsed.error);
      const log = c.get('log');
      return c.json(await service.push(c.get('session').userId, parsed.data, (attempt) => log.debug({ attempt }, 'sync: another push committed first; planning again')));
    }),
  );

  app.get(
    '/pull',
    handle(async (c) => {
      const request = pullRequestFromQuery(c);
      return c.json(await service.pull(c.get('session').userId, request.cursor, request.limit, request.kinds, request.own === 'omit' ? request.deviceId : undefined, request.protocol));
    }),
  );

  app.get(
    '/sessions/:id/chunks',
    handle(async (c) => {
      // Another member's id, or one that was never synced, is the same 404.
      const id = SyncSessionIdSchema.safeParse(c.req.param('id'));
      if (!id.success) throw new SyncRequestError('not_found', 'No such workout.');
      const request = sessionChunksRequestFromQuery(c);
      return c.json(await service.sessionChunks(c.get('session').userId, id.data, request.from, request.limit));
    }),
  );

  return app;
}
