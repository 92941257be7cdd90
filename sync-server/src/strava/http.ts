import type { TokenOutcome } from '../grants/token-outcome';

/**
 * The one place that talks to Strava's OAuth endpoints (tests/strava-emulator/README.md). Every
 * answer is classified by status and the `errors[].resource/field` of Strava's error body, never
 * by message text. Client credentials go in the form body, as Strava documents. No token ever
 * reaches a log here.
 */
export interface StravaEndpoints {
  /** `https://www.strava.com/oauth` (STRAVA_OAUTH_URL). */
  oauthUrl: string;
  /** `https://www.strava.com/api/v3` (STRAVA_API_URL). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface StravaHttp {
  exchangeCode(code: string): Promise<TokenOutcome & { athleteId?: number }>;
  refresh(refreshToken: string): Promise<TokenOutcome>;
  /** Revokes the app for the athlete (POST /oauth/deauthorize); true when Strava accepted it or the token was dead already. */
  deauthorize(accessToken: string): Promise<boolean>;
}

export const STRAVA_TOKEN_TIMEOUT_MS = 8_000;

type ErrorEntry = { resource?: unknown; field?: unknown; code?: unknown };

/** Strava's token answers: 200 with tokens; 400 `{message, errors:[{resource, field, code}]}` otherwise. */
export function classifyStravaToken(status: number, json: unknown, plainText: boolean, now: number): TokenOutcome & { athleteId?: number } {
  const body = (json ?? {}) as Record<string, unknown>;
  if (status === 200 && typeof body.access_token === 'string' && body.access_token !== '') {
    const rt = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : null;
    const expiresAtMs = typeof body.expires_at === 'number' && body.expires_at > 0 ? body.expires_at * 1000 : undefined;
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : expiresAtMs !== undefined ? Math.max(0, Math.floor((expiresAtMs - now) / 1000)) : 6 * 3600;
    const athlete = (body.athlete as { id?: unknown } | undefined)?.id;
    return {
      kind: 'ok',
      tokens: { accessToken: body.access_token, refreshToken: rt, expiresInSec: expiresIn, ...(expiresAtMs === undefined ? {} : { expiresAtMs }), scope: null },
      ...(typeof athlete === 'number' ? { athleteId: athlete } : {}),
    };
  }
  if (status >= 500 || status === 0) return { kind: 'transient', failure: 'network', status };
  if (status === 429) return { kind: 'transient', failure: 'rate', status };
  if (plainText || json === null) return { kind: 'transient', failure: 'unknown', status };
  const errors = Array.isArray(body.errors) ? (body.errors as ErrorEntry[]) : [];
  if (errors.some((e) => e.field === 'client_id' || e.field === 'client_secret')) return { kind: 'invalid_client' };
  if (errors.some((e) => e.resource === 'RefreshToken' || e.resource === 'AuthorizationCode' || e.field === 'refresh_token' || e.field === 'code')) return { kind: 'invalid_grant' };
  if (status === 401) return { kind: 'invalid_grant' };
  if (status === 200) return { kind: 'transient', failure: 'unknown', status };
  const first = errors[0];
  return { kind: 'rejected', status, error: typeof first?.field === 'string' ? first.field.slice(0, 50) : 'unknown' };
}

export function createStravaHttp(endpoints: StravaEndpoints, opts: { fetch?: typeof fetch; now?: () => number } = {}): StravaHttp {
  const fetchImpl = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;

  async function post(path: string, form: Record<string, string>): Promise<{ status: number; json: unknown; plainText: boolean } | null> {
    try {
      const res = await fetchImpl(`${endpoints.oauthUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(STRAVA_TOKEN_TIMEOUT_MS),
      });
      const text = await res.text();
      if (text.trim() === '') return { status: res.status, json: null, plainText: false };
      try {
        return { status: res.status, json: JSON.parse(text) as unknown, plainText: false };
      } catch {
        return { status: res.status, json: null, plainText: true };
      }
    } catch {
      return null;
    }
  }

  const token = async (form: Record<string, string>) => {
    const a = await post('/token', { client_id: endpoints.clientId, client_secret: endpoints.clientSecret, ...form });
    return a === null ? ({ kind: 'transient', failure: 'network', status: 0 } as const) : classifyStravaToken(a.status, a.json, a.plainText, now());
  };

  return {
    exchangeCode: (code) => token({ grant_type: 'authorization_code', code }),
    refresh: (refreshToken) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    async deauthorize(accessToken) {
      const a = await post('/deauthorize', { access_token: accessToken });
      return a !== null && (a.status === 200 || a.status === 401);
    },
  };
}
