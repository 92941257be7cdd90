import type { Logger } from 'pino';
import { createGrantEngine, type GrantAlarms, type GrantProvider } from '../grants/engine';
import type { LeaseStore } from '../grants/lease-store';
import type { GrantCollections } from '../grants/pb-grant-store';
import { createSealedGrants, type SealBinding } from '../grants/sealed';
import type { GrantStore } from '../grants/store';
import type { TokenCipher } from '../grants/token-cipher';

/**
 * intervals.icu on the grant engine (grants/engine.ts) shared with Spotify and Strava: a personal
 * API key is a grant whose access token is the key, sealed like any token (AES-256-GCM, bound to
 * `intervals:<member>:<field>`), that never expires and cannot be refreshed. So the engine's
 * rules carry over unchanged: the key is opened for one call only; a 401/403 from intervals.icu
 * asks for a forced refresh, which the adapter answers `invalid_grant`, and the engine marks the
 * grant needs_reconnect by compare-and-set: once, whatever the number of processes and calls.
 */
export const INTERVALS_GRANT_COLLECTIONS: GrantCollections = { grants: 'intervals_grants', versions: 'intervals_grant_versions', events: 'intervals_grant_events', label: 'intervals grant' };
export const INTERVALS_SEAL: SealBinding = (memberId, field) => `intervals:${memberId}:${field}`;
export const intervalsLeaseKey = (memberId: string) => `intervals-refresh:${memberId}`;
/** A key never expires (the owner deletes it on intervals.icu); 9999-12-31 keeps the engine from refreshing it. */
export const KEY_EXPIRES_AT = Date.UTC(9999, 11, 31);
/** The stored "refresh token" of a key grant: a marker, not a secret (the column is required). */
export const KEY_MARKER = 'personal-api-key';
export const KEY_SCOPE = 'api-key';

export function intervalsKeyProvider(): GrantProvider {
  return {
    name: 'intervals',
    leaseKey: intervalsLeaseKey,
    // A personal API key cannot be refreshed: intervals.icu refused it, the member must give a new one.
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
