import type { Logger } from 'pino';
import { createGrantEngine, type AccessResult, type GrantAlarms, type GrantProvider } from '../grants/engine';
import type { LeaseStore } from '../grants/lease-store';
import type { GrantCollections } from '../grants/pb-grant-store';
import { createSealedGrants, type SealBinding } from '../grants/sealed';
import type { Grant, GrantStore } from '../grants/store';
import type { TokenCipher } from '../grants/token-cipher';
import { bearerAuthorization, keyAuthorization } from './api';

/**
 * intervals.icu on the grant engine (grants/engine.ts) shared with Spotify and Strava: a personal
 * API key is a grant whose access token is the key, sealed like any token (AES-256-GCM, bound to
 * `intervals:<member>:<field>`), that never expires and cannot be refreshed. So the engine's
 * rules carry over unchanged: the key is opened for one call only; a 401/403 from intervals.icu
 * asks for a forced refresh, which the adapter answers `invalid_grant`, and the engine marks the
 * grant needs_reconnect by compare-and-set: once, whatever the number of processes and calls.
 *
 * An OAuth access token (forum.intervals.icu/t/2759) is the same kind of grant: no refresh token
 * and no documented expiry, dead when the member removes the app on intervals.icu. Its kind is
 * written in the clear in `scopes` (a key grant's is `api-key`, an OAuth grant's the scopes
 * intervals.icu granted), so that a call knows to send Basic or Bearer and the status can say how
 * the member is connected without opening the seal.
 */
export const INTERVALS_GRANT_COLLECTIONS: GrantCollections = { grants: 'intervals_grants', versions: 'intervals_grant_versions', events: 'intervals_grant_events', label: 'intervals grant' };
export const INTERVALS_SEAL: SealBinding = (memberId, field) => `intervals:${memberId}:${field}`;
export const intervalsLeaseKey = (memberId: string) => `intervals-refresh:${memberId}`;
/** A key never expires (the owner deletes it on intervals.icu), nor does an OAuth token; 9999-12-31 keeps the engine from refreshing either. */
export const KEY_EXPIRES_AT = Date.UTC(9999, 11, 31);
/** The stored "refresh token" of a key grant: a marker, not a secret (the column is required). */
export const KEY_MARKER = 'personal-api-key';
export const KEY_SCOPE = 'api-key';
/** The stored "refresh token" of an OAuth grant: intervals.icu issues none. */
export const OAUTH_MARKER = 'oauth-no-refresh-token';
/** What HRM asks for: uploads (required) and wellness (optional, the member may untick it). */
export const OAUTH_SCOPES = ['ACTIVITY:WRITE', 'WELLNESS:WRITE'];

export type IntervalsGrantKind = 'key' | 'oauth';
export const grantKind = (g: Pick<Grant, 'scopes'>): IntervalsGrantKind => (g.scopes === KEY_SCOPE ? 'key' : 'oauth');
/** The scopes an OAuth grant holds; null for a key (it may do what its owner may). */
export const grantedScopes = (g: Pick<Grant, 'scopes'>): string[] | null => (grantKind(g) === 'key' ? null : g.scopes.split(/[ ,]+/).filter(Boolean));
/** Wellness is written only with a key, or a token granted WELLNESS:WRITE. */
export const mayWriteWellness = (g: Pick<Grant, 'scopes'>) => grantedScopes(g)?.includes('WELLNESS:WRITE') ?? true;
/** The Authorization value of a call with this grant's secret. */
export const authorizationOf = (g: Pick<Grant, 'scopes'>, secret: string) => (grantKind(g) === 'key' ? keyAuthorization(secret) : bearerAuthorization(secret));

/** The engine as the API calls use it: its "token" is the whole Authorization value for the grant's kind. */
export function authorizations(engine: { accessToken(memberId: string, failedVersion?: number | null): Promise<AccessResult> }) {
  return {
    async accessToken(memberId: string, failedVersion: number | null = null): Promise<AccessResult> {
      const t = await engine.accessToken(memberId, failedVersion);
      return t.ok ? { ...t, token: authorizationOf(t.grant, t.token) } : t;
    },
  };
}

export function intervalsKeyProvider(): GrantProvider {
  return {
    name: 'intervals',
    leaseKey: intervalsLeaseKey,
    // Neither a personal API key nor an OAuth token can be refreshed: intervals.icu refused it, the member must connect again.
    refresh: async () => ({ kind: 'invalid_grant' }),
    tokenTimeoutMs: 1_000,
    invalidClientHint: 'intervals.icu refused a personal API key (not an app credential): nothing to check on the server',
  };
}

export interface IntervalsGrantDeps {
  grants: GrantStore;
  leases: LeaseStore;
  cipher: TokenCipher;
  alarms: GrantAlarms;
  logger: Logger;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function createIntervalsGrants(deps: IntervalsGrantDeps) {
  const store = createSealedGrants(deps.grants, deps.cipher, INTERVALS_SEAL);
  const engine = createGrantEngine({ provider: intervalsKeyProvider(), store, leases: deps.leases, alarms: deps.alarms, logger: deps.logger, now: deps.now, random: deps.random, sleep: deps.sleep });
  return {
    store,
    engine,
    /** A (new) key replaces any grant, dead or alive. */
    saveKey: (memberId: string, apiKey: string, now: number) =>
      store.replace(memberId, { accessToken: apiKey, refreshToken: KEY_MARKER, expiresAt: KEY_EXPIRES_AT, scopes: KEY_SCOPE, authorizedAt: now }, now),
  };
}
