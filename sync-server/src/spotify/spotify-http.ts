import type { TokenOutcome } from '../grants/token-outcome';

/**
 * The one place that talks HTTP to Spotify (accounts service and Web API). It classifies every
 * answer by status and the `error` / `reason` fields, never by message text (Spotify changed
 * its 401 text in 2026: spotify-emulator.md §1, §3 rule 3). No token ever reaches a log here.
 */
export interface SpotifyEndpoints {
  accountsUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

export type { TokenOutcome, TokenSet } from '../grants/token-outcome';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or null when empty or not JSON. */
  json: unknown;
  /** True when a body was present but was not JSON (plain-text 403/429, HTML 5xx). */
  plainText: boolean;
}

export type ApiResult = { kind: 'answer'; answer: ApiAnswer } | { kind: 'network' };

export interface SpotifyHttp {
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenOutcome>;
  refresh(refreshToken: string): Promise<TokenOutcome>;
  api(method: string, path: string, accessToken: string, body?: unknown): Promise<ApiResult>;
}

export const TOKEN_TIMEOUT_MS = 8_000;
export const API_TIMEOUT_MS = 5_000;

async function readBody(res: Response): Promise<{ json: unknown; plainText: boolean }> {
  const text = await res.text();
  if (text.trim() === '') return { json: null, plainText: false };
  try {
    return { json: JSON.parse(text) as unknown, plainText: false };
  } catch {
    return { json: null, plainText: true };
  }
}

export function classifyTokenAnswer(status: number, json: unknown, plainText: boolean): TokenOutcome {
  const body = (json ?? {}) as Record<string, unknown>;
  if (status === 200 && typeof body.access_token === 'string' && body.access_token !== '') {
    const rt = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : null;
    const expires = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    return { kind: 'ok', tokens: { accessToken: body.access_token, refreshToken: rt, expiresInSec: expires, scope: typeof body.scope === 'string' ? body.scope : null } };
  }
  if (status >= 500 || status === 0) return { kind: 'transient', failure: 'network', status };
  if (status === 429) return { kind: 'transient', failure: 'rate', status };
  if (plainText || json === null) return { kind: 'transient', failure: 'unknown', status };
  if (body.error === 'invalid_grant') return { kind: 'invalid_grant' };
  if (body.error === 'invalid_client') return { kind: 'invalid_client' };
  if (status === 200) return { kind: 'transient', failure: 'unknown', status };
  return { kind: 'rejected', status, error: typeof body.error === 'string' ? body.error.slice(0, 50) : 'unknown' };
}

export function createSpotifyHttp(endpoints: SpotifyEndpoints, fetchImpl: typeof fetch = fetch): SpotifyHttp {
  const basic = `Basic ${Buffer.from(`${endpoints.clientId}:${endpoints.clientSecret}`).toString('base64')}`;

  async function token(form: Record<string, string>): Promise<TokenOutcome> {
    let res: Response;
    try {
      res = await fetchImpl(`${endpoints.accountsUrl}/api/token`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
    } catch {
      return { kind: 'transient', failure: 'network', status: 0 };
    }
    let body: { json: unknown; plainText: boolean };
    try {
      body = await readBody(res);
    } catch {
      return { kind: 'transient', failure: 'network', status: 0 };
    }
    return classifyTokenAnswer(res.status, body.json, body.plainText);
  }

  return {
    exchangeCode: ({ code, redirectUri, codeVerifier }) =>
      token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: endpoints.clientId }),
    refresh: (refreshToken) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    async api(method, path, accessToken, body) {
      try {
        const res = await fetchImpl(`${endpoints.apiUrl}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${accessToken}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(API_TIMEOUT_MS),
        });
        const parsed = await readBody(res);
        return { kind: 'answer', answer: { status: res.status, headers: res.headers, ...parsed } };
      } catch {
        return { kind: 'network' };
      }
    },
  };
}

/** `reason` of a Web API error body (`{error:{status,message,reason}}`), if any. */
export function errorReason(json: unknown): string | null {
  const error = (json as { error?: { reason?: unknown } } | null)?.error;
  return typeof error?.reason === 'string' ? error.reason : null;
}

/** Retry-After in seconds (delta-seconds or an HTTP date); null when absent or bad. */
export function retryAfterSec(headers: Headers, now: number): number | null {
  const v = headers.get('retry-after');
  if (v === null) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
