import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import pino from 'pino';
import { createLogger } from './logger';
import { startSmtpSink } from './mail/smtp-sink';
import { createDb } from './pocketbase/admin-client';
import { ensurePocketBaseBinary, repoRoot } from './pocketbase/binary';
import { defaultHooksDir, startEmbeddedPocketBase, type EmbeddedPocketBase } from './pocketbase/embedded';
import { assertHrmRoutes } from './pocketbase/hrm-routes';
import { localSuperuser } from './pocketbase/local-superuser';
import { applyMailSettings } from './pocketbase/settings';
import { createAppShell } from './static/app-shell';
import { createSpotifyService, startSpotifyJobs, type SpotifyService } from './spotify/service';
import { deriveKeyId } from './spotify/token-cipher';
import { localTokenKey } from './spotify/token-key-file';
import { createStravaService, type StravaFeature } from './strava/feature';
import { intervalsConfig, IntervalsConfigError, type IntervalsConfig } from './intervals/config';
import { createIntervalsService, type IntervalsFeature } from './intervals/feature';
import { loadSyncConfig, type SyncConfig } from './sync/config';
import { startSyncMaintenance } from './sync/maintenance-job';
import type { LiveBus } from './live/bus';
import type { LiveHub } from './live/hub';
import { attachLiveUpgrades } from './live/live-upgrade';
import { createMemoryBus } from './live/memory-bus';
import { createRedisBus } from './live/redis-bus';
import path from 'node:path';

/**
 * Starts HRM's sync server: configuration, PocketBase (embedded child process or PB_URL),
 * mail, the Hono app on HOST:PORT (HTTPS with TLS_CERT_FILE/TLS_KEY_FILE), and a graceful
 * shutdown on SIGTERM/SIGINT: stop accepting, finish in-flight requests (at most
 * SHUTDOWN_TIMEOUT_MS), stop PocketBase, exit 0.
 */

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`HRM cannot start: configuration error in ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  let intervalsSettings: IntervalsConfig | null;
  try {
    intervalsSettings = intervalsConfig(process.env, config.pocketbase.mode !== 'embedded');
  } catch (e) {
    if (!(e instanceof IntervalsConfigError)) throw e;
    process.stderr.write(`HRM cannot start: configuration error in ${e.message}\n`);
    process.exit(2);
  }
  let syncConfig: SyncConfig;
  try {
    syncConfig = loadSyncConfig(process.env);
  } catch (e) {
    process.stderr.write(`HRM cannot start: configuration error in ${(e as Error).message}\n`);
    process.exit(2);
  }
  // Log lines leave asynchronously: the lines written while a write is on its way go out
  // together, one write rather than one per request (bench/me-throughput.bench.ts). What is
  // still buffered is written on exit, so only a process killed outright loses its last lines.
  const logDest = pino.destination({ dest: 1, sync: false });
  process.on('exit', () => {
    try {
      logDest.flushSync();
    } catch {
      // stdout gone: nothing left to write to.
    }
  });
  const logger = createLogger(config.logLevel, logDest);
  const version = readVersion();
  const fatal = (msg: string, err?: unknown) => {
    logger.fatal({ err: err instanceof Error ? err.message : err }, msg);
    process.exit(1);
  };

  // PocketBase: our own child process, or an already running one (a second server process).
  let pbUrl: string;
  let superuser: { email: string; password: string };
  let embedded: EmbeddedPocketBase | null = null;
  let shuttingDown = false;
  if (config.pocketbase.mode === 'external') {
    pbUrl = config.pocketbase.url;
    superuser = config.pocketbase.superuser;
  } else {
    const pbc = config.pocketbase;
    const dataDir = path.resolve(pbc.dataDir);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    superuser = pbc.superuser ?? (await localSuperuser(dataDir));
    const bin = await ensurePocketBaseBinary({ bin: pbc.bin, log: (m) => logger.info(m) });
    const start = () =>
      startEmbeddedPocketBase({
        bin,
        port: pbc.port,
        dataDir,
        superuser,
        log: (level, msg) => logger[level](msg),
        onUnexpectedExit: () => void restart(),
      });
    // If PocketBase dies, health turns 503 at once; we restart it a few times, then give up
    // and exit non-zero so a supervisor restarts the whole service.
    const restarts: number[] = [];
    const restart = async () => {
      if (shuttingDown) return;
      const t = Date.now();
      restarts.push(t);
      while (restarts.length && restarts[0]! < t - 60_000) restarts.shift();
      if (restarts.length > 5) return fatal('PocketBase keeps exiting; giving up');
      await new Promise((r) => setTimeout(r, 500 * restarts.length));
      try {
        embedded = await start();
      } catch (e) {
        void restart();
        logger.error({ err: (e as Error).message }, 'PocketBase restart failed');
      }
    };
    try {
      embedded = await start();
    } catch (e) {
      return fatal('PocketBase did not start', e);
    }
    pbUrl = embedded.url;
  }

  const db = createDb(pbUrl, superuser);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await db.connect();
      break;
    } catch (e) {
      if (Date.now() > deadline) return fatal(`cannot sign in to PocketBase at ${pbUrl} as superuser`, e);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await assertHrmRoutes(db.pb, defaultHooksDir);
  } catch (e) {
    return fatal("PocketBase lacks HRM's routes (pb_hooks/)", e);
  }

  const scheme = config.tls ? 'https' : 'http';
  const appUrl = config.publicOrigin ?? `${scheme}://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  let smtp = config.smtp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | null = null;
  if (!smtp) {
    // No SMTP configured: mail goes to this console so a developer can follow the links.
    sink = await startSmtpSink({
      onMail: (m) =>
        process.stderr.write(`\n--- mail to ${m.to.join(', ')}: ${m.subject}\n${m.links.map((l) => `    ${l}`).join('\n')}\n---\n`),
    });
    smtp = { host: '127.0.0.1', port: sink.port, tls: false };
    logger.warn('SMTP_HOST is not set: mails are printed to this console instead of being sent');
  }
  try {
    await applyMailSettings(db.pb, { appName: 'HRM', appUrl, from: config.mailFrom, smtp });
  } catch (e) {
    return fatal('cannot apply mail settings to PocketBase', e);
  }

  const shell = await createAppShell(path.resolve(repoRoot, config.staticDir));
  // Spotify (optional): the only holder of members' Spotify tokens; refreshes run in the background.
  let spotify: SpotifyService | null = null;
  if (config.spotify) {
    let tokenKey = config.spotify.tokenKey;
    if (!tokenKey && config.pocketbase.mode === 'embedded') {
      const key = await localTokenKey(path.resolve(config.pocketbase.dataDir));
      tokenKey = { id: deriveKeyId(key), key };
      logger.warn('SPOTIFY_TOKEN_KEY is not set: using a generated key kept in PB_DATA_DIR (local runs only)');
    }
    if (!tokenKey) return fatal('SPOTIFY_TOKEN_KEY is required');
    spotify = createSpotifyService({ config: { ...config.spotify, tokenKey }, pb: db.pb, logger });
    logger.info({ accounts: config.spotify.accountsUrl, api: config.spotify.apiUrl, redirectUri: config.spotify.redirectUri }, 'Spotify configured');
  }
  const spotifyJobs = spotify ? startSpotifyJobs(spotify, logger, config.spotify?.jobIntervalMs) : null;
  // Strava (optional): connect, and the upload queue's worker in every process.
  let strava: StravaFeature | null = null;
  if (config.strava) {
    let tokenKey = config.strava.tokenKey;
    if (!tokenKey && config.pocketbase.mode === 'embedded') {
      const key = await localTokenKey(path.resolve(config.pocketbase.dataDir));
      tokenKey = { id: deriveKeyId(key), key };
      logger.warn('STRAVA_TOKEN_KEY is not set: using a generated key kept in PB_DATA_DIR (local runs only)');
    }
    if (!tokenKey) return fatal('STRAVA_TOKEN_KEY is required');
    strava = createStravaService({ config: { ...config.strava, tokenKey }, pb: db.pb, logger });
    logger.info({ oauth: config.strava.oauthUrl, api: config.strava.apiUrl, redirectUri: config.strava.redirectUri }, 'Strava configured');
  }
  const stravaJobs = strava?.start() ?? null;
  // intervals.icu (optional, INTERVALS_ENABLED): personal API keys, uploads and wellness.
  let intervals: IntervalsFeature | null = null;
  if (intervalsSettings) {
    let tokenKey = intervalsSettings.tokenKey;
    if (!tokenKey && config.pocketbase.mode === 'embedded') {
      const key = await localTokenKey(path.resolve(config.pocketbase.dataDir));
      tokenKey = { id: deriveKeyId(key), key };
      logger.warn('INTERVALS_TOKEN_KEY is not set: using a generated key kept in PB_DATA_DIR (local runs only)');
    }
    if (!tokenKey) return fatal('INTERVALS_TOKEN_KEY is required');
    intervals = createIntervalsService({ config: { ...intervalsSettings, tokenKey }, pb: db.pb, logger });
    // The client secret is never logged.
    logger.info({ api: intervalsSettings.apiUrl, oauth: intervalsSettings.oauth?.oauthUrl ?? null, redirectUri: intervalsSettings.oauth?.redirectUri ?? null }, 'intervals.icu configured');
  }
  const intervalsJobs = intervals?.start() ?? null;
  // Purges expired tombstones of members who stopped pushing, trims sync_commits (one process at a time).
  const syncMaintenance = startSyncMaintenance({ pb: db.pb, config: syncConfig, logger });
  // Class mode's live fan-out: Redis pub/sub across processes when REDIS_URL is set.
  const memoTtlMs = config.rooms.goneMs * 2;
  let liveBus: LiveBus;
  try {
    liveBus = config.redisUrl ? await createRedisBus({ url: config.redisUrl, memoTtlMs, logger }) : createMemoryBus({ memoTtlMs });
  } catch (e) {
    return fatal('cannot connect to Redis (REDIS_URL)', e);
  }
  let liveHub: LiveHub | null = null;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const app = createApp({ config, db, logger, shell, version, spotify, strava, intervals, live: { bus: liveBus, hubReady: (h) => (liveHub = h) } });

  const server = serve(
    {
      fetch: app.fetch,
      hostname: config.host,
      port: config.port,
      ...(config.tls
        ? { createServer: createHttpsServer, serverOptions: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } }
        : {}),
    },
    (info: AddressInfo) => logger.info({ url: `${scheme}://${info.address}:${info.port}`, version, pocketbase: pbUrl }, 'HRM listening'),
  );
  server.on('error', (e) => fatal('server error', e));
  // Upgrades go through the app like any request; the live route's accepted ones go to `ws` (live-upgrade.ts).
  // (https.Server emits `upgrade` as http.Server does; serve() types it as either, or HTTP/2.)
  attachLiveUpgrades(server as HttpServer, { fetch: (req, env) => app.fetch(req, env), wss, onError: (e) => logger.error({ err: e.message }, 'live upgrade failed') });

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // Live sockets are told to reconnect (4503); they would otherwise hold server.close() open.
    (liveHub as LiveHub | null)?.stop();
    for (const ws of wss.clients) ws.close(4503, 'restarting');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.shutdownTimeoutMs).unref());
    if ((await Promise.race([closed, timeout])) === 'timeout') {
      logger.warn('in-flight requests did not finish in time; closing them');
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
    await spotifyJobs?.stop();
    await stravaJobs?.stop();
    await intervalsJobs?.stop();
    await syncMaintenance.stop();
    await liveBus.close();
    await sink?.close();
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`HRM failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
