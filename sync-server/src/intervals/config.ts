import { z } from 'zod';
import { deriveKeyId, parseTokenKey, type TokenKey } from '../grants/token-cipher';

/**
 * intervals.icu's settings, read from the environment at start (a bad value stops start-up with
 * the variable's name, like config.ts). intervals.icu needs no app registration (members bring a
 * personal API key), so it is on only when INTERVALS_ENABLED=true.
 */
export interface IntervalsConfig {
  apiUrl: string;
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
  if (e.INTERVALS_ENABLED !== 'true' && e.INTERVALS_ENABLED !== '1') return null;
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
    tokenKey,
    uploadIntervalMs: e.INTERVALS_UPLOAD_INTERVAL_MS,
    uploadLeaseMs: e.INTERVALS_UPLOAD_LEASE_MS,
  };
}
