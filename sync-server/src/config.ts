import { z } from 'zod';
import { deriveKeyId, parseTokenKey } from './spotify/token-cipher';

/**
 * The sync server's whole configuration, read once from the environment at start.
 * Every variable is listed in the README's configuration table. A bad or missing required
 * value stops start-up with a message that names the variable (ConfigError).
 */

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8787),
  PUBLIC_ORIGIN: optionalString.pipe(z.url().optional()),
  TRUST_PROXY: bool.default(false),
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  STATIC_DIR: z.string().min(1).default('build'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),

  PB_URL: optionalString.pipe(z.url().optional()),
  POCKETBASE_BIN: optionalString,
  PB_PORT: port.default(8790),
  PB_DATA_DIR: z.string().min(1).default('pb_data'),
  PB_SUPERUSER_EMAIL: optionalString.pipe(z.email().optional()),
  PB_SUPERUSER_PASSWORD: optionalString.pipe(z.string().min(10).optional()),

  SMTP_HOST: optionalString,
  SMTP_PORT: port.default(587),
  SMTP_USERNAME: optionalString,
  SMTP_PASSWORD: optionalString,
  SMTP_TLS: bool.default(false),
  MAIL_FROM: z.email().default('noreply@hrm.localhost'),
  MAIL_FROM_NAME: z.string().min(1).default('HRM'),

  SESSION_IDLE_DAYS: positiveInt.default(30),
  SESSION_MAX_DAYS: positiveInt.default(180),
  AUTH_RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
  LOGIN_LOCK_THRESHOLD: positiveInt.default(5),
  LOGIN_LOCK_MINUTES: positiveInt.default(15),

  SPOTIFY_CLIENT_ID: optionalString,
  SPOTIFY_CLIENT_SECRET: optionalString,
  SPOTIFY_REDIRECT_URI: optionalString.pipe(z.url().optional()),
  SPOTIFY_ACCOUNTS_URL: z.url().default('https://accounts.spotify.com'),
  SPOTIFY_API_URL: z.url().default('https://api.spotify.com'),
  SPOTIFY_TOKEN_KEY: optionalString,
  SPOTIFY_TOKEN_KEY_ID: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional()),
  SPOTIFY_TOKEN_PREVIOUS_KEYS: optionalString,
  SPOTIFY_CALLS_PER_30S: positiveInt.default(120),
  SPOTIFY_JOB_INTERVAL_MS: positiveInt.default(60_000),

  STRAVA_CLIENT_ID: optionalString,
  STRAVA_CLIENT_SECRET: optionalString,
  STRAVA_REDIRECT_URI: optionalString.pipe(z.url().optional()),
  STRAVA_OAUTH_URL: z.url().default('https://www.strava.com/oauth'),
  STRAVA_API_URL: z.url().default('https://www.strava.com/api/v3'),
  STRAVA_TOKEN_KEY: optionalString,
  STRAVA_TOKEN_KEY_ID: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional()),
  STRAVA_UPLOAD_INTERVAL_MS: positiveInt.default(10_000),
  STRAVA_UPLOAD_LEASE_MS: positiveInt.default(120_000),
  STRAVA_UPLOAD_POLL_MS: z.coerce.number().int().min(1000).default(1_500),

  REDIS_URL: optionalString.pipe(z.url().optional()),
  ROOM_STALE_MS: positiveInt.default(10_000),
  ROOM_GONE_MS: positiveInt.default(60_000),
  ROOM_CODE_ATTEMPTS_PER_MINUTE: positiveInt.default(10),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  host: string;
  port: number;
  /** The origin browsers use to reach us; null = derive from each request's Host. */
  publicOrigin: string | null;
  trustProxy: boolean;
  tls: { certFile: string; keyFile: string } | null;
  staticDir: string;
  logLevel: Env['LOG_LEVEL'];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  pocketbase:
    | { mode: 'external'; url: string; superuser: { email: string; password: string } }
    | {
        mode: 'embedded';
        bin: string | null;
        port: number;
        dataDir: string;
        superuser: { email: string; password: string } | null;
      };
  smtp: { host: string; port: number; username?: string; password?: string; tls: boolean } | null;
  mailFrom: { address: string; name: string };
  sessions: { idleMs: number; maxMs: number };
  authRateLimitPerMinute: number;
  loginLock: { threshold: number; windowMs: number };
  /** null: Spotify is not set up (the app works; /api/v1/spotify/status says so). */
  spotify: SpotifyConfig | null;
  /** null: Strava is not set up (no default credentials; /api/v1/strava/status says so). */
  strava: StravaConfig | null;
  /** Class mode: live fan-out through Redis when set (several processes), else in-process. */
  redisUrl: string | null;
  rooms: { staleMs: number; goneMs: number; codeAttemptsPerMinute: number };
}

export interface SpotifyConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accountsUrl: string;
  apiUrl: string;
  /** null: a local run generates its own key file in PB_DATA_DIR (embedded PocketBase only). */
  tokenKey: { id: string; key: Buffer } | null;
  previousTokenKeys: { id: string; key: Buffer }[];
  /** App-wide Web API calls allowed per rolling 30 s (Spotify does not publish its limit). */
  callsPer30s: number;
  /** How often the tracks-of-workouts job runs (SPOTIFY_JOB_INTERVAL_MS). */
  jobIntervalMs: number;
}

export interface StravaConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** STRAVA_OAUTH_URL (/authorize, /token, /deauthorize) and STRAVA_API_URL (/uploads…). */
  oauthUrl: string;
  apiUrl: string;
  /** null: a local run uses the generated key file in PB_DATA_DIR (embedded PocketBase only). */
  tokenKey: { id: string; key: Buffer } | null;
  /** The upload worker: pass interval, a claim's lease, the time between polls of an upload (≥ 1 s). */
  uploadIntervalMs: number;
  uploadLeaseMs: number;
  uploadPollMs: number;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const DAY = 24 * 60 * 60 * 1000;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError(e.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  }
  if (Boolean(e.PB_SUPERUSER_EMAIL) !== Boolean(e.PB_SUPERUSER_PASSWORD)) {
    throw new ConfigError(e.PB_SUPERUSER_EMAIL ? 'PB_SUPERUSER_PASSWORD' : 'PB_SUPERUSER_EMAIL', 'set both superuser variables, or neither');
  }
  const superuser =
    e.PB_SUPERUSER_EMAIL && e.PB_SUPERUSER_PASSWORD ? { email: e.PB_SUPERUSER_EMAIL, password: e.PB_SUPERUSER_PASSWORD } : null;
  let pocketbase: Config['pocketbase'];
  if (e.PB_URL) {
    if (!superuser) throw new ConfigError('PB_SUPERUSER_EMAIL', 'required with PB_URL (and PB_SUPERUSER_PASSWORD)');
    pocketbase = { mode: 'external', url: e.PB_URL.replace(/\/+$/, ''), superuser };
  } else {
    pocketbase = { mode: 'embedded', bin: e.POCKETBASE_BIN ?? null, port: e.PB_PORT, dataDir: e.PB_DATA_DIR, superuser };
  }
  if (e.SESSION_MAX_DAYS < e.SESSION_IDLE_DAYS) {
    throw new ConfigError('SESSION_MAX_DAYS', 'must be at least SESSION_IDLE_DAYS');
  }
  if (e.ROOM_GONE_MS <= e.ROOM_STALE_MS) throw new ConfigError('ROOM_GONE_MS', 'must be greater than ROOM_STALE_MS');
  return {
    host: e.HOST,
    port: e.PORT,
    publicOrigin: e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : null,
    trustProxy: e.TRUST_PROXY,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
    staticDir: e.STATIC_DIR,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    pocketbase,
    smtp: e.SMTP_HOST
      ? { host: e.SMTP_HOST, port: e.SMTP_PORT, username: e.SMTP_USERNAME, password: e.SMTP_PASSWORD, tls: e.SMTP_TLS }
      : null,
    mailFrom: { address: e.MAIL_FROM, name: e.MAIL_FROM_NAME },
    sessions: { idleMs: e.SESSION_IDLE_DAYS * DAY, maxMs: e.SESSION_MAX_DAYS * DAY },
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    loginLock: { threshold: e.LOGIN_LOCK_THRESHOLD, windowMs: e.LOGIN_LOCK_MINUTES * 60_000 },
    spotify: spotifyConfig(e, pocketbase),
    strava: stravaConfig(e, pocketbase),
    redisUrl: e.REDIS_URL ?? null,
    rooms: { staleMs: e.ROOM_STALE_MS, goneMs: e.ROOM_GONE_MS, codeAttemptsPerMinute: e.ROOM_CODE_ATTEMPTS_PER_MINUTE },
  };
}

/** Spotify's redirect URI rules (2025): HTTPS, or http on a loopback IP literal; never `localhost`. */
export function redirectUriProblem(uri: string): string | null {
  const u = new URL(uri);
  if (u.hostname === 'localhost') return 'localhost is not allowed by Spotify; use 127.0.0.1';
  const loopback = u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return 'must be https (http only on 127.0.0.1 or [::1])';
  if (!u.pathname.endsWith('/api/v1/spotify/callback')) return 'must end with /api/v1/spotify/callback';
  return null;
}

function spotifyConfig(e: Env, pocketbase: Config['pocketbase']): SpotifyConfig | null {
  if (!e.SPOTIFY_CLIENT_ID && !e.SPOTIFY_CLIENT_SECRET) return null;
  if (!e.SPOTIFY_CLIENT_ID || !e.SPOTIFY_CLIENT_SECRET) {
    throw new ConfigError(e.SPOTIFY_CLIENT_ID ? 'SPOTIFY_CLIENT_SECRET' : 'SPOTIFY_CLIENT_ID', 'set both, or neither (Spotify off)');
  }
  const ownOrigin = e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : `http://127.0.0.1:${e.PORT}`;
  const redirectUri = e.SPOTIFY_REDIRECT_URI ?? `${ownOrigin}/api/v1/spotify/callback`;
  const problem = redirectUriProblem(redirectUri);
  if (problem) throw new ConfigError('SPOTIFY_REDIRECT_URI', problem);
  const key = (variable: string, raw: string) => {
    const k = parseTokenKey(raw);
    if (!k) throw new ConfigError(variable, 'must be 32 bytes, as 64 hex digits or base64');
    return k;
  };
  let tokenKey: SpotifyConfig['tokenKey'] = null;
  if (e.SPOTIFY_TOKEN_KEY) {
    const k = key('SPOTIFY_TOKEN_KEY', e.SPOTIFY_TOKEN_KEY);
    tokenKey = { id: e.SPOTIFY_TOKEN_KEY_ID ?? deriveKeyId(k), key: k };
  } else if (pocketbase.mode === 'external') {
    throw new ConfigError('SPOTIFY_TOKEN_KEY', 'required with PB_URL when Spotify is configured (every process needs the same key)');
  }
  const previousTokenKeys = (e.SPOTIFY_TOKEN_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      const [id, value] = raw.includes(':') ? raw.split(':', 2) : [undefined, raw];
      const k = key('SPOTIFY_TOKEN_PREVIOUS_KEYS', value!);
      return { id: id ?? deriveKeyId(k), key: k };
    });
  return {
    clientId: e.SPOTIFY_CLIENT_ID,
    clientSecret: e.SPOTIFY_CLIENT_SECRET,
    redirectUri,
    accountsUrl: e.SPOTIFY_ACCOUNTS_URL.replace(/\/+$/, ''),
    apiUrl: e.SPOTIFY_API_URL.replace(/\/+$/, ''),
    tokenKey,
    previousTokenKeys,
    callsPer30s: e.SPOTIFY_CALLS_PER_30S,
    jobIntervalMs: e.SPOTIFY_JOB_INTERVAL_MS,
  };
}

function stravaConfig(e: Env, pocketbase: Config['pocketbase']): StravaConfig | null {
  if (!e.STRAVA_CLIENT_ID && !e.STRAVA_CLIENT_SECRET) return null;
  if (!e.STRAVA_CLIENT_ID || !e.STRAVA_CLIENT_SECRET) {
    throw new ConfigError(e.STRAVA_CLIENT_ID ? 'STRAVA_CLIENT_SECRET' : 'STRAVA_CLIENT_ID', 'set both, or neither (Strava off)');
  }
  const ownOrigin = e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : `http://127.0.0.1:${e.PORT}`;
  const redirectUri = e.STRAVA_REDIRECT_URI ?? `${ownOrigin}/api/v1/strava/callback`;
  if (!new URL(redirectUri).pathname.endsWith('/api/v1/strava/callback')) throw new ConfigError('STRAVA_REDIRECT_URI', 'must end with /api/v1/strava/callback');
  let tokenKey: StravaConfig['tokenKey'] = null;
  if (e.STRAVA_TOKEN_KEY) {
    const k = parseTokenKey(e.STRAVA_TOKEN_KEY);
    if (!k) throw new ConfigError('STRAVA_TOKEN_KEY', 'must be 32 bytes, as 64 hex digits or base64');
    tokenKey = { id: e.STRAVA_TOKEN_KEY_ID ?? deriveKeyId(k), key: k };
  } else if (pocketbase.mode === 'external') {
    throw new ConfigError('STRAVA_TOKEN_KEY', 'required with PB_URL when Strava is configured (every process needs the same key)');
  }
  return {
    clientId: e.STRAVA_CLIENT_ID,
    clientSecret: e.STRAVA_CLIENT_SECRET,
    redirectUri,
    oauthUrl: e.STRAVA_OAUTH_URL.replace(/\/+$/, ''),
    apiUrl: e.STRAVA_API_URL.replace(/\/+$/, ''),
    tokenKey,
    uploadIntervalMs: e.STRAVA_UPLOAD_INTERVAL_MS,
    uploadLeaseMs: e.STRAVA_UPLOAD_LEASE_MS,
    uploadPollMs: e.STRAVA_UPLOAD_POLL_MS,
  };
}
