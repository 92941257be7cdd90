import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SealedGrants, TokenWrite } from '../grants/sealed';
import type { TokenOutcome } from '../grants/token-outcome';
import type { OAuthStates } from './states';

/**
 * Connecting a member to a provider by OAuth 2.0 authorization code (Strava, intervals.icu; neither
 * has PKCE), the part every provider shares. `state` is 32 random bytes, stored only as its
 * SHA-256, one-time, expires after STATE_TTL_MS and is bound to the member's session: the
 * callback must come with the same session cookie (RFC 9700 §4.7, cross-site request forgery). The state is consumed
 * before anything else, whatever happens next, so a replayed callback is refused. A provider
 * adapter builds its authorize URL and exchanges the code (classifying the answer, checking the
 * granted scopes); the grant goes into the engine's sealed store here.
 */
export const STATE_TTL_MS = 10 * 60_000;
export type OAuthConnectFailure = 'denied' | 'state' | 'scope' | 'exchange' | 'unavailable' | 'misconfigured';

export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  scope?: string | undefined;
  error?: string | undefined;
}

/** A provider's code exchange: the grant to store, too few scopes granted, or the token endpoint's refusal. */
export type CodeExchange = { kind: 'ok'; grant: TokenWrite } | { kind: 'scope' } | Exclude<TokenOutcome, { kind: 'ok' }>;

export interface OAuthConnectProvider {
  /** Lower-case name, the prefix of log lines and the alarm. */
  name: string;
  authorizeUrl(state: string): string;
  /** `sentAt`: when the exchange was sent (expiry counts from it). */
  exchange(code: string, query: CallbackQuery, sentAt: number): Promise<CodeExchange>;
  /** What an operator should check when the provider refuses our client credentials. */
  invalidClientHint: string;
}

export interface OAuthConnectDeps {
  provider: OAuthConnectProvider;
  states: OAuthStates;
  store: SealedGrants;
  logger: Logger;
  now: () => number;
}

export type OAuthConnectResult = { ok: true; memberId: string; scopes: string } | { ok: false; reason: OAuthConnectFailure };

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

export function createOAuthConnect(deps: OAuthConnectDeps) {
  const { provider, states, now, logger } = deps;
  const name = provider.name;
  return {
    /** The provider's authorize URL for this member's session. */
    async start(session: { id: string; userId: string }): Promise<string> {
      const state = randomBytes(32).toString('base64url');
      await states.create({ stateHash: sha256hex(state), memberId: session.userId, sessionId: session.id, expiresAt: now() + STATE_TTL_MS });
      return provider.authorizeUrl(state);
    },

    /** The callback. */
    async finish(session: { id: string; userId: string } | null, q: CallbackQuery): Promise<OAuthConnectResult> {
      if (!q.state) return { ok: false, reason: 'state' };
      const row = await states.take(sha256hex(q.state));
      if (!row) return { ok: false, reason: 'state' };
      if (row.expiresAt < now() || !session || session.id !== row.sessionId || session.userId !== row.memberId) {
        logger.warn({ member: session?.userId ?? null }, `${name}: callback state does not belong to this session or expired`);
        return { ok: false, reason: 'state' };
      }
      if (q.error) return { ok: false, reason: q.error === 'access_denied' ? 'denied' : 'exchange' };
      if (!q.code) return { ok: false, reason: 'exchange' };
      const sentAt = now();
      const outcome = await provider.exchange(q.code, q, sentAt);
      switch (outcome.kind) {
        case 'ok': {
          const version = await deps.store.replace(row.memberId, { ...outcome.grant, authorizedAt: sentAt }, now());
          logger.info({ member: row.memberId, version, scopes: outcome.grant.scopes }, `${name}: connected`);
          return { ok: true, memberId: row.memberId, scopes: outcome.grant.scopes };
        }
        case 'scope':
          return { ok: false, reason: 'scope' };
        case 'invalid_client':
          logger.error({ alarm: `${name}_invalid_client` }, `${name}: ALARM code exchange refused our client credentials; ${provider.invalidClientHint}`);
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

export type OAuthConnect = ReturnType<typeof createOAuthConnect>;
