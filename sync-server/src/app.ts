import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import type { Logger } from 'pino';
import { createPasswordPolicy } from './auth/password-policy';
import { createPbSessionStore } from './auth/session-store';
import { createSessions } from './auth/sessions';
import { createThrottle } from './auth/throttle';
import { createPbLimiter } from './auth/pb-limiter';
import type { Config } from './config';
import { clientAddress } from './http/client-address';
import { AppError, isAppError } from './http/errors';
import { requestLog } from './http/request-log';
import { sameOriginOnly } from './http/same-origin';
import { ensureHeaders, securityHeaders } from './http/security-headers';
import type { AppEnv } from './http/types';
import { discardBody, nodeRequestOf } from './http/oversized-body';
import { isDbUnavailable, type Db } from './pocketbase/admin-client';
import { createHealthProber, pocketBaseProbe, type HealthProber } from './pocketbase/health-prober';
import { authRoutes, type AuthDeps } from './routes/auth';
import { meRoutes } from './routes/me';
import { syncRoutes } from './routes/sync';
import { createPbSyncStore } from './sync/pb-sync-store';
import { createPbAccountStore } from './auth/pb-account-store';
import { spotifyRoutes } from './routes/spotify';
import { stravaRoutes } from './routes/strava';
import { intervalsRoutes } from './routes/intervals';
import type { IntervalsFeature } from './intervals/feature';
import type { StravaFeature } from './strava/feature';
import type { SpotifyService } from './spotify/service';
import type { LiveBus } from './live/bus';
import type { LiveHub } from './live/hub';
import { announceAccountDeletion, announcingSessionStore } from './live/access-announcer';
import { createRoomsFeature } from './rooms/feature';
import { roomsRoutes } from './routes/rooms';
import { hubsRoutes } from './routes/hubs';
import type { AppShell } from './static/app-shell';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  shell: AppShell | null;
  version: string;
  now?: () => number;
  /** The Spotify feature; null or absent when it is not configured. */
  spotify?: SpotifyService | null;
  /** The Strava feature; null or absent when it is not configured. */
  strava?: StravaFeature | null;
  /** The intervals.icu feature; null or absent when it is off. */
  intervals?: IntervalsFeature | null;
  /** Overrides the auth timing floor (ms). */
  timingFloorMs?: number;
  /** Class mode's live fan-out; absent: /api/v1/rooms is not mounted. `hubReady` gets this process's hub. */
  live?: { bus: LiveBus; hubReady?: (hub: LiveHub) => void } | null;
  /** Whether PocketBase is up, for /api/v1/health; default: a background prober of db.url. */
  health?: HealthProber;
}

/** The origin browsers use for us: PUBLIC_ORIGIN, or the request's own scheme and host. */
export function ownOrigin(config: Config) {
  return (url: URL, headers: Headers): string => {
    if (config.publicOrigin) return config.publicOrigin;
    const proto = config.trustProxy ? (headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? url.protocol.slice(0, -1)) : url.protocol.slice(0, -1);
    const host = (config.trustProxy ? headers.get('x-forwarded-host') : null) ?? headers.get('host') ?? url.host;
    return `${proto}://${host}`;
  };
}

export function createApp(deps: AppDeps) {
  const { config, db, logger } = deps;
  const now = deps.now ?? Date.now;
  const origin = ownOrigin(config);
  const app = new Hono<AppEnv>();

  app.use('*', requestLog(logger));
  app.use('*', securityHeaders({ scriptHashes: () => deps.shell?.scriptHashes() ?? [], https: config.tls !== null }));
  app.use('*', clientAddress(config.trustProxy));

  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? errorResponse(new AppError('not_found', `No such endpoint: ${c.req.method} ${c.req.path}`), c) : c.text('Not found', 404),
  );

  const api = new Hono<AppEnv>();
  const limitBody = bodyLimit({
    maxSize: config.bodyLimitBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The body is larger than ${config.bodyLimitBytes} bytes.`);
    },
  });
  // GET and HEAD requests have no body here (the node adapter never attaches one); asking
  // for it would only build a full web Request from the incoming message.
  api.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // Declared too large: read the rest and drop it first, so the 413 reaches the client
    // before the connection closes (http/oversized-body.ts). Chunked bodies: limitBody.
    const declared = Number(c.req.header('content-length'));
    const incoming = nodeRequestOf(c.env);
    if (incoming && !c.req.header('transfer-encoding') && declared > config.bodyLimitBytes) {
      await discardBody(incoming);
      throw new AppError('payload_too_large', `The body is larger than ${config.bodyLimitBytes} bytes.`);
    }
    return limitBody(c, next);
  });
  api.use('*', sameOriginOnly(origin));
  // API responses hold user data: never let a cache keep them. Set before the handler (part
  // of the response it builds) and made sure of after it (a handler may set its own).
  const NO_STORE = [['Cache-Control', 'no-store']] as const;
  api.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
    ensureHeaders(c, NO_STORE);
  });

  // 503 only when PocketBase is really down (consecutive failed probes), never for one slow probe.
  const health = deps.health ?? createHealthProber({ probe: pocketBaseProbe(db.url) });
  api.get('/v1/health', async (c) => {
    const ok = await health.up();
    return c.json({ status: ok ? 'ok' : 'error', db: ok ? 'ok' : 'unavailable', version: deps.version }, ok ? 200 : 503);
  });

  const authDeps: AuthDeps = {
    accounts: createPbAccountStore(db.pb, db.verifyPassword),
    // With class mode on, ending a session also re-checks its live sockets on every process.
    sessions: createSessions(deps.live ? announcingSessionStore(createPbSessionStore(db.pb), deps.live.bus) : createPbSessionStore(db.pb), config.sessions),
    throttle: createThrottle(createPbLimiter(db.pb), {
      perAddressPerMinute: config.authRateLimitPerMinute,
      lockThreshold: config.loginLock.threshold,
      lockWindowMs: config.loginLock.windowMs,
    }),
    passwords: createPasswordPolicy(),
    now,
    secureCookies: (c: Context) => origin(new URL(c.req.url), c.req.raw.headers).startsWith('https:'),
    sessionIdleMs: config.sessions.idleMs,
    timingFloorMs: deps.timingFloorMs ?? 450,
  };
  api.route('/v1/auth', authRoutes(authDeps));
  if (deps.live) api.use('/v1/me', announceAccountDeletion(deps.live.bus));
  api.route('/v1/me', meRoutes(authDeps));
  api.route('/v1/sync', syncRoutes({ ...authDeps, syncStore: createPbSyncStore(db.pb) }));
  api.route('/v1/spotify', spotifyRoutes(authDeps, deps.spotify ?? null));
  api.route('/v1/strava', stravaRoutes(authDeps, deps.strava ?? null));
  api.route('/v1/intervals', intervalsRoutes(authDeps, deps.intervals ?? null));
  if (deps.live) {
    const rooms = createRoomsFeature({
      db,
      bus: deps.live.bus,
      config,
      logger,
      now,
      sessions: authDeps.sessions,
      ownOrigin: origin,
      spotify: deps.spotify ?? null,
    });
    deps.live.hubReady?.(rooms.hub);
    api.route('/v1', hubsRoutes(authDeps, rooms.hubs, rooms.afterClass));
    api.route('/v1/rooms', roomsRoutes(authDeps, rooms));
  }
  api.all('*', (c) => {
    throw new AppError('not_found', `No such endpoint: ${c.req.method} ${c.req.path}`);
  });
  app.route('/api', api);

  if (deps.shell) {
    app.use('*', compress());
    app.use('*', deps.shell.handler);
  }
  return app;
}

/** The one place where errors become HTTP responses. No stack traces leave the server. */
export function errorResponse(err: unknown, c: Context<AppEnv>) {
  const requestId = c.get('requestId');
  let e: AppError;
  if (isAppError(err)) e = err;
  else if (isDbUnavailable(err)) {
    c.get('log')?.error({ err: (err as Error).message }, 'database unavailable');
    e = new AppError('db_unavailable', 'The database is not answering. Try again shortly.');
  } else {
    c.get('log')?.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'unhandled error');
    e = new AppError('internal', 'Something went wrong on our side.');
  }
  if (e.details.retryAfterSec !== undefined) c.header('Retry-After', String(e.details.retryAfterSec));
  // The rest of an oversized body is never read: tell the client not to reuse the socket.
  if (e.code === 'payload_too_large') c.header('Connection', 'close');
  c.header('Cache-Control', 'no-store');
  return c.json({ error: { code: e.code, message: e.message, requestId } }, e.status as 400);
}
