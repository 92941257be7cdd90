import type { Logger } from 'pino';
import type { SealedGrants } from '../grants/sealed';
import { createOAuthConnect, type OAuthConnectProvider } from '../oauth/connect';
import type { OAuthStates } from '../oauth/states';
import { STRAVA_SCOPES } from './grants';
import type { StravaHttp } from './http';

/**
 * Strava's side of connecting (the shared flow: oauth/connect.ts). Strava names the scopes the
 * athlete left ticked in the callback's `scope` and lets them untick any: without
 * `activity:write` there is nothing to connect for, so the code is not even exchanged. Its token
 * answer must carry a refresh token (access tokens last about 6 hours).
 */

export interface StravaConnectDeps {
  states: OAuthStates;
  http: StravaHttp;
  store: SealedGrants;
  logger: Logger;
  now: () => number;
  oauthUrl: string;
  clientId: string;
  redirectUri: string;
}

export function stravaConnectProvider(deps: Pick<StravaConnectDeps, 'http' | 'oauthUrl' | 'clientId' | 'redirectUri'>): OAuthConnectProvider {
  return {
    name: 'strava',
    authorizeUrl(state) {
      const url = new URL(`${deps.oauthUrl}/authorize`);
      url.search = new URLSearchParams({
        client_id: deps.clientId,
        response_type: 'code',
        redirect_uri: deps.redirectUri,
        approval_prompt: 'auto',
        scope: STRAVA_SCOPES.join(','),
        state,
      }).toString();
      return url.href;
    },
    async exchange(code, q, sentAt) {
      const accepted = (q.scope ?? '').split(/[ ,]+/).filter(Boolean);
      if (!accepted.includes('activity:write')) return { kind: 'scope' };
      const outcome = await deps.http.exchangeCode(code);
      if (outcome.kind !== 'ok') return outcome;
      if (!outcome.tokens.refreshToken) return { kind: 'rejected', status: 200, error: 'no refresh token' };
      return {
        kind: 'ok',
        grant: {
          accessToken: outcome.tokens.accessToken,
          refreshToken: outcome.tokens.refreshToken,
          expiresAt: Math.min(sentAt + outcome.tokens.expiresInSec * 1000, outcome.tokens.expiresAtMs ?? Infinity),
          scopes: accepted.join(','),
        },
      };
    },
    invalidClientHint: 'check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET',
  };
}

export function createStravaConnect(deps: StravaConnectDeps) {
  return createOAuthConnect({ provider: stravaConnectProvider(deps), states: deps.states, store: deps.store, logger: deps.logger, now: deps.now });
}
