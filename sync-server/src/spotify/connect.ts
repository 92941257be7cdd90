import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppState } from './app-state';
import type { Grants } from './grants';
import type { OAuthStateStore } from './oauth-state-store';
import type { SpotifyHttp } from './spotify-http';
import type { TokenCipher } from './token-cipher';

/**
 * Connecting a member (authorization code + PKCE S256, RFC 7636). `state` is one-time, expires
 * after STATE_TTL_MS, and is bound to the member's session: the callback must come with the same
 * session cookie. Only SHA-256 of the state is stored; the PKCE verifier is sealed.
 */
export const SCOPES = ['user-read-currently-playing', 'user-read-playback-state', 'user-modify-playback-state', 'user-read-recently-played'];
export const STATE_TTL_MS = 10 * 60_000;

export type ConnectFailure = 'denied' | 'state' | 'exchange' | 'unavailable' | 'misconfigured';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

export interface ConnectDeps {
  states: OAuthStateStore;
  http: SpotifyHttp;
  store: Grants;
  cipher: TokenCipher;
  appState: AppState;
  logger: Logger;
  now: () => number;
  accountsUrl: string;
  clientId: string;
  redirectUri: string;
}

export function createConnect(deps: ConnectDeps) {
  const { states, now } = deps;

  return {
    async start(session: { id: string; userId: string }): Promise<string> {
      const state = randomBytes(32).toString('base64url');
      const verifier = randomBytes(48).toString('base64url');
      const stateHash = sha256hex(state);
      await states.create({
        stateHash,
        memberId: session.userId,
        sessionId: session.id,
        sealedVerifier: deps.cipher.seal(verifier, `${stateHash}:verifier`),
        expiresAt: now() + STATE_TTL_MS,
      });
      const url = new URL(`${deps.accountsUrl}/authorize`);
      url.search = new URLSearchParams({
        client_id: deps.clientId,
        response_type: 'code',
        redirect_uri: deps.redirectUri,
        scope: SCOPES.join(' '),
        state,
        code_challenge_method: 'S256',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      }).toString();
      return url.href;
    },

    /** The callback. The state is consumed (deleted) before anything else, whatever happens next. */
    async finish(
      session: { id: string; userId: string } | null,
      q: { state?: string; code?: string; error?: string },
    ): Promise<{ ok: true; memberId: string } | { ok: false; reason: ConnectFailure }> {
      if (!q.state || q.state.length > 200) return { ok: false, reason: 'state' };
      const stateHash = sha256hex(q.state);
      const row = await states.take(stateHash);
      if (!row) return { ok: false, reason: 'state' };
      if (row.expiresAt < now() || !session || session.id !== row.sessionId || session.userId !== row.memberId) {
        deps.logger.warn({ member: session?.userId ?? null }, 'spotify: callback state does not belong to this session or expired');
        return { ok: false, reason: 'state' };
      }
      if (q.error) return { ok: false, reason: q.error === 'access_denied' ? 'denied' : 'exchange' };
      if (!q.code) return { ok: false, reason: 'exchange' };
      const verifier = deps.cipher.open(row.sealedVerifier, `${stateHash}:verifier`);
      if (!verifier) return { ok: false, reason: 'state' };
      const sentAt = now();
      const outcome = await deps.http.exchangeCode({ code: q.code, redirectUri: deps.redirectUri, codeVerifier: verifier });
      switch (outcome.kind) {
        case 'ok': {
          if (!outcome.tokens.refreshToken) return { ok: false, reason: 'exchange' };
          const version = await deps.store.replace(
            row.memberId,
            {
              accessToken: outcome.tokens.accessToken,
              refreshToken: outcome.tokens.refreshToken,
              expiresAt: sentAt + outcome.tokens.expiresInSec * 1000,
              scopes: outcome.tokens.scope ?? SCOPES.join(' '),
              authorizedAt: sentAt,
            },
            now(),
          );
          void deps.appState.clearAlarm().catch(() => undefined);
          deps.logger.info({ member: row.memberId, version }, 'spotify: connected');
          return { ok: true, memberId: row.memberId };
        }
        case 'invalid_client':
          deps.logger.error({ alarm: 'spotify_invalid_client' }, 'spotify: ALARM code exchange refused our client credentials (invalid_client)');
          await deps.appState.raiseAlarm('invalid_client', now());
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
