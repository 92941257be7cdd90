import { z } from 'zod';
import { deriveKeyId, parseTokenKey, type TokenKey } from '../grants/token-cipher';

/**
 * intervals.icu's settings, read from the environment at start (a bad value stops start-up with
 * the variable's name, like config.ts). The personal API key needs no app registration, so
 * intervals.icu is on only when INTERVALS_ENABLED=true. An operator who registered an OAuth app
 * with intervals.icu (forum.intervals.icu/t/2759) adds its INTERVALS_CLIENT_ID and
 * INTERVALS_CLIENT_SECRET: members may then connect by OAuth too (both or neither).
 */
export interface IntervalsOAuthConfig {
  clientId: string;
  /** Never logged. */
  clientSecret: string;
  /** INTERVALS_OAUTH_URL: /oauth/authorize and /api/oauth/token live under it. */
  oauthUrl: string;
  redirectUri: string;
}

export interface IntervalsConfig {
  apiUrl: string;
  /** null: OAuth is not offered (personal API key only). */
  oauth: IntervalsOAuthConfig | null;
  /** Seals the members' API keys at rest; null: a generated local key (embedded PocketBase only). */
  tokenKey: TokenKey | null;
  uploadIntervalMs: number;
  uploadLeaseMs: number;
}

export class IntervalsConfigError extends Error {
  constructor(
    public variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const Env = z.object({
  INTERVALS_ENABLED: z.enum(['true', 'false', '1', '0', '']).optional(),
  INTERVALS_API_URL: z.url().default('https://intervals.icu/api/v1'),
  INTERVALS_CLIENT_ID: z.string().trim().optional(),
  INTERVALS_CLIENT_SECRET: z.string().trim().optional(),
  INTERVALS_OAUTH_URL: z.url().default('https://intervals.icu'),
  INTERVALS_REDIRECT_URI: z.url().optional(),
  INTERVALS_TOKEN_KEY: z.string().optional(),
  INTERVALS_TOKEN_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
  INTERVALS_UPLOAD_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  INTERVALS_UPLOAD_LEASE_MS: z.coerce.number().int().positive().default(120_000),
});

/** null: intervals.icu is off. `sharedPocketBase`: PB_URL is set (every process needs the same key). */
export function intervalsConfig(env: Record<string, string | undefined>, sharedPocketBase: boolean): IntervalsConfig | null {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new IntervalsConfigError(String(issue.path[0] ?? 'INTERVALS_*'), issue.message);
  }
  const e = parsed.data;
  const enabled = e.INTERVALS_ENABLED === 'true' || e.INTERVALS_ENABLED === '1';
  const oauth = oauthConfig(e, env);
  if (!enabled) {
    if (oauth) throw new IntervalsConfigError('INTERVALS_ENABLED', 'must be true when INTERVALS_CLIENT_ID and INTERVALS_CLIENT_SECRET are set');
    return null;
  }
  let tokenKey: TokenKey | null = null;
  if (e.INTERVALS_TOKEN_KEY) {
    const k = parseTokenKey(e.INTERVALS_TOKEN_KEY);
    if (!k) throw new IntervalsConfigError('INTERVALS_TOKEN_KEY', 'must be 32 bytes, as 64 hex digits or base64');
    tokenKey = { id: e.INTERVALS_TOKEN_KEY_ID ?? deriveKeyId(k), key: k };
  } else if (sharedPocketBase) {
    throw new IntervalsConfigError('INTERVALS_TOKEN_KEY', 'required with PB_URL when intervals.icu is enabled (every process needs the same key)');
  }
  return {
    apiUrl: e.INTERVALS_API_URL.replace(/\/+$/, ''),
    oauth,
    tokenKey,
    uploadIntervalMs: e.INTERVALS_UPLOAD_INTERVAL_MS,
    uploadLeaseMs: e.INTERVALS_UPLOAD_LEASE_MS,
  };
}

function oauthConfig(e: z.infer<typeof Env>, env: Record<string, string | undefined>): IntervalsOAuthConfig | null {
  const id = e.INTERVALS_CLIENT_ID || undefined;
  const secret = e.INTERVALS_CLIENT_SECRET || undefined;
  if (!id && !secret) return null;
  if (!id || !secret) throw new IntervalsConfigError(id ? 'INTERVALS_CLIENT_SECRET' : 'INTERVALS_CLIENT_ID', 'set both, or neither (personal API key only)');
  // PUBLIC_ORIGIN and PORT are validated by config.ts before this runs.
  const ownOrigin = env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).origin : `http://127.0.0.1:${env.PORT || 8787}`;
  const redirectUri = e.INTERVALS_REDIRECT_URI ?? `${ownOrigin}/api/v1/intervals/callback`;
  if (!new URL(redirectUri).pathname.endsWith('/api/v1/intervals/callback')) throw new IntervalsConfigError('INTERVALS_REDIRECT_URI', 'must end with /api/v1/intervals/callback');
  return { clientId: id, clientSecret: secret, oauthUrl: e.INTERVALS_OAUTH_URL.replace(/\/+$/, ''), redirectUri };
}
