import type { Logger } from 'pino';
import { createGrantEngine, type GrantAlarms, type GrantProvider } from '../grants/engine';
import type { LeaseStore } from '../grants/lease-store';
import { createSealedGrants, type SealBinding } from '../grants/sealed';
import type { GrantStore } from '../grants/store';
import type { TokenCipher } from '../grants/token-cipher';
import { STRAVA_TOKEN_TIMEOUT_MS, type StravaHttp } from './http';

/**
 * Strava's side of the grant engine (grants/engine.ts): its token endpoint (http.ts: form body
 * with client credentials, `expires_at` in epoch seconds, a new refresh token on most refreshes
 * that must be saved before the access token is used, 400 RefreshToken invalid → reconnect), its
 * own lease key and seal binding. Storage: `strava_grants` and friends (grants/pb-grant-store.ts
 * STRAVA_GRANT_COLLECTIONS) or memory.
 */
export const STRAVA_SEAL: SealBinding = (memberId, field) => `strava:${memberId}:${field}`;
/** The refresh lease of one member, in `provider_leases` (strava/feature.ts PROVIDER_LEASES; account deletion clears it). */
export const stravaLeaseKey = (memberId: string) => `strava-refresh:${memberId}`;
export const STRAVA_SCOPES = ['read', 'activity:write'];

export function stravaGrantProvider(http: Pick<StravaHttp, 'refresh'>): GrantProvider {
  return {
    name: 'strava',
    leaseKey: stravaLeaseKey,
    refresh: (refreshToken) => http.refresh(refreshToken),
    tokenTimeoutMs: STRAVA_TOKEN_TIMEOUT_MS,
    invalidClientHint: 'Strava refused our client credentials; check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET',
  };
}

export interface StravaGrantDeps {
  grants: GrantStore;
  leases: LeaseStore;
  cipher: TokenCipher;
  http: StravaHttp;
  alarms: GrantAlarms;
  logger: Logger;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function createStravaGrants(deps: StravaGrantDeps) {
  const store = createSealedGrants(deps.grants, deps.cipher, STRAVA_SEAL);
  const engine = createGrantEngine({
    provider: stravaGrantProvider(deps.http),
    store,
    leases: deps.leases,
    alarms: deps.alarms,
    logger: deps.logger,
    now: deps.now,
    random: deps.random,
    sleep: deps.sleep,
  });
  return { store, engine };
}

export type StravaGrants = ReturnType<typeof createStravaGrants>;

/** App-wide alarm in memory (until Strava has its app state): raised and cleared per process. */
export function createMemoryAlarms(): GrantAlarms & { current(): { reason: string; at: number } | null } {
  let alarm: { reason: string; at: number } | null = null;
  return {
    async raiseAlarm(reason, at) {
      alarm = { reason, at };
    },
    async clearAlarm() {
      alarm = null;
    },
    current: () => alarm,
  };
}
