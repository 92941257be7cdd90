import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SealedGrants } from '../grants/sealed';
import { STRAVA_SCOPES } from './grants';
import type { StravaHttp } from './http';
import type { StravaOAuthStates } from './oauth-states';

/**
 * Connecting a member to Strava (OAuth 2.0 authorization code; Strava has no PKCE). `state` is
 * one-time, expires after STATE_TTL_MS and is bound to the member's session: the callback must
 * come with the same session cookie. Strava lets the athlete untick scopes: without
 * `activity:write` there is nothing to connect for.
 */
export const STATE_TTL_MS = 10 * 60_000;
export type StravaConnectFailure = 'denied' | 'state' | 'scope' | 'exchange' | 'unavailable' | 'misconfigured';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

export interface StravaConnectDeps {
  states: StravaOAuthStates;
  http: StravaHttp;
  store: SealedGrants;
  logger: Logger;
  now: () => number;
  oauthUrl: string;
  clientId: string;
  redirectUri: string;
}

export function createStravaConnect(deps: StravaConnectDeps) {
  const { states, now } = deps;
  return {
    async start(session: { id: string; userId: string }): Promise<string> {
      const state = randomBytes(32).toString('base64url');
      await states.create({ stateHash: sha256hex(state), memberId: session.userId, sessionId: session.id, expiresAt: now() + STATE_TTL_MS });
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

    /** The callback. The state is consumed before anything else, whatever happens next. */
    async finish(
      session: { id: string; userId: string } | null,
      q: { state?: string; code?: string; scope?: string; error?: string },
    ): Promise<{ ok: true; memberId: string } | { ok: false; reason: StravaConnectFailure }> {
      if (!q.state) return { ok: false, reason: 'state' };
      const row = await states.take(sha256hex(q.state));
      if (!row) return { ok: false, reason: 'state' };
      if (row.expiresAt < now() || !session || session.id !== row.sessionId || session.userId !== row.memberId) {
        deps.logger.warn({ member: session?.userId ?? null }, 'strava: callback state does not belong to this session or expired');
        return { ok: false, reason: 'state' };
      }
      if (q.error) return { ok: false, reason: q.error === 'access_denied' ? 'denied' : 'exchange' };
      if (!q.code) return { ok: false, reason: 'exchange' };
      const accepted = (q.scope ?? '').split(/[ ,]+/).filter(Boolean);
      if (!accepted.includes('activity:write')) return { ok: false, reason: 'scope' };
      const sentAt = now();
      const outcome = await deps.http.exchangeCode(q.code);
      switch (outcome.kind) {
        case 'ok': {
          if (!outcome.tokens.refreshToken) return { ok: false, reason: 'exchange' };
          const version = await deps.store.replace(
            row.memberId,
            {
              accessToken: outcome.tokens.accessToken,
              refreshToken: outcome.tokens.refreshToken,
              expiresAt: Math.min(sentAt + outcome.tokens.expiresInSec * 1000, outcome.tokens.expiresAtMs ?? Infinity),
              scopes: accepted.join(','),
              authorizedAt: sentAt,
            },
            now(),
          );
          deps.logger.info({ member: row.memberId, version }, 'strava: connected');
          return { ok: true, memberId: row.memberId };
        }
        case 'invalid_client':
          deps.logger.error({ alarm: 'strava_invalid_client' }, 'strava: ALARM code exchange refused our client credentials; check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET');
          return { ok: false, reason: 'misconfigured' };
        case 'invalid_grant':
        case 'rejected':
          return { ok: false, reason: 'exchange' };
        case 'transient':
          return { ok: false, reason: 'unavailable' };
      }
    },

    purgeExpired: (): Promise<void> => states.purgeExpired(now()),
  };
}
