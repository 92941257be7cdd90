import type { CodeExchange, OAuthConnectProvider } from '../oauth/connect';
import type { IntervalsOAuthConfig } from './config';
import { KEY_EXPIRES_AT, OAUTH_MARKER, OAUTH_SCOPES } from './grants';

/**
 * intervals.icu's side of connecting by OAuth (the shared flow: oauth/connect.ts), after the
 * forum post "Intervals.icu OAuth support" (forum.intervals.icu/t/2759):
 * - authorize: `{oauth}/oauth/authorize?client_id&redirect_uri&scope=ACTIVITY:WRITE,WELLNESS:WRITE&state`;
 * - token: `POST {oauth}/api/oauth/token`, form client_id, client_secret, code, within 2 minutes
 *   of the redirect → `{token_type: "Bearer", access_token, scope, athlete: {id, name}}`, no
 *   refresh token and no expiry: the token lives until the member removes the app.
 * The member may untick scopes: the granted ones come in the token answer's `scope`. Without
 * ACTIVITY:WRITE there is nothing to connect for (refused); without WELLNESS:WRITE uploads work
 * and wellness is never attempted (grants.ts mayWriteWellness). The error answers of the token
 * endpoint are not documented: 401 is taken as our client credentials, any other 4xx as a code
 * that did not work.
 */
export const INTERVALS_TOKEN_TIMEOUT_MS = 10_000;

export function classifyIntervalsToken(status: number, json: unknown): CodeExchange {
  const body = (json ?? {}) as { access_token?: unknown; scope?: unknown };
  if (status === 200 && typeof body.access_token === 'string' && body.access_token !== '') {
    const scopes = typeof body.scope === 'string' ? body.scope.split(/[ ,]+/).filter(Boolean) : OAUTH_SCOPES;
    if (!scopes.includes('ACTIVITY:WRITE')) return { kind: 'scope' };
    return { kind: 'ok', grant: { accessToken: body.access_token, refreshToken: OAUTH_MARKER, expiresAt: KEY_EXPIRES_AT, scopes: scopes.join(',') } };
  }
  if (status === 0 || status >= 500) return { kind: 'transient', failure: 'network', status };
  if (status === 429) return { kind: 'transient', failure: 'rate', status };
  if (status === 401) return { kind: 'invalid_client' };
  if (status >= 400) return { kind: 'invalid_grant' };
  return { kind: 'transient', failure: 'unknown', status };
}

export function intervalsConnectProvider(config: IntervalsOAuthConfig, opts: { fetch?: typeof fetch } = {}): OAuthConnectProvider {
  const fetchImpl = opts.fetch ?? fetch;
  return {
    name: 'intervals',
    authorizeUrl(state) {
      const url = new URL(`${config.oauthUrl}/oauth/authorize`);
      url.search = new URLSearchParams({ client_id: config.clientId, redirect_uri: config.redirectUri, scope: OAUTH_SCOPES.join(','), state }).toString();
      return url.href;
    },
    async exchange(code) {
      let res: Response;
      try {
        res = await fetchImpl(`${config.oauthUrl}/api/oauth/token`, {
          method: 'POST',
          headers: { Accept: 'application/json' },
          body: new URLSearchParams({ client_id: config.clientId, client_secret: config.clientSecret, code }),
          signal: AbortSignal.timeout(INTERVALS_TOKEN_TIMEOUT_MS),
        });
      } catch {
        return { kind: 'transient', failure: 'network', status: 0 };
      }
      const text = await res.text().catch(() => '');
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return classifyIntervalsToken(res.status, json);
    },
    invalidClientHint: 'check INTERVALS_CLIENT_ID and INTERVALS_CLIENT_SECRET',
  };
}
