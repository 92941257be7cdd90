/**
 * A member's grant at one provider (Spotify, Strava…), split by writer so that no writer can undo another
 * (docs: PocketBase writes every column of a record on update, from a read taken before):
 *
 * - the grant record (tokens, expiry, scopes, version, status) is written ONLY by a
 *   compare-and-set on `version` (`cas`, `replace`): exactly one writer moves it from v to v+1;
 * - the grant's health (failures, backoff, last success) is an append-only log of events, one
 *   record per event: concurrent writers add records and never rewrite one, so no increment is
 *   lost (the count of failures is derived when read);
 * - provider extras (Spotify's volume before a mute) live in records of their own
 *   (spotify/grant-store.ts).
 *
 * Each provider has its own collections of this shape (spotify_grants…, strava_grants…).
 * Tokens are stored sealed (token-cipher.ts); this interface never sees them in the clear.
 */
export type GrantStatus = 'ok' | 'needs_reconnect';
export type FailureType = 'auth' | 'network' | 'rate' | 'unknown';

export interface SealedTokens {
  accessToken: string;
  refreshToken: string;
  keyId: string;
}

export interface Grant {
  memberId: string;
  version: number;
  status: GrantStatus;
  statusAt: number;
  authorizedAt: number;
  expiresAt: number;
  scopes: string;
  sealed: SealedTokens;
}

/** What a compare-and-set may change (the version moves by itself). */
export type GrantUpdate = Partial<Pick<Grant, 'status' | 'statusAt' | 'authorizedAt' | 'expiresAt' | 'scopes' | 'sealed'>>;

/** A fresh authorization: every field of the grant. */
export type GrantFields = Pick<Grant, 'authorizedAt' | 'expiresAt' | 'scopes' | 'sealed' | 'statusAt'>;

export interface GrantHealth {
  /** Failures since the last success (counted over the newest HEALTH_WINDOW events). */
  consecutiveFailures: number;
  lastFailureType: FailureType | null;
  lastFailureAt: number;
  lastSuccessAt: number;
  /** The latest backoff named by a failure since the last success (0: none). */
  backoffUntil: number;
}

/** How many of the newest health events are read; backoff stops growing after 10 failures anyway. */
export const HEALTH_WINDOW = 20;

export const HEALTHY: GrantHealth = { consecutiveFailures: 0, lastFailureType: null, lastFailureAt: 0, lastSuccessAt: 0, backoffUntil: 0 };

export interface HealthEvent {
  kind: 'failure' | 'success';
  type: FailureType | null;
  at: number;
  backoffUntil: number;
}

/** Folds health events, newest first, into the grant's health. */
export function foldHealth(newestFirst: readonly HealthEvent[]): GrantHealth {
  const h: GrantHealth = { ...HEALTHY };
  for (const e of newestFirst) {
    if (e.kind === 'success') {
      h.lastSuccessAt = e.at;
      break;
    }
    if (h.consecutiveFailures === 0) {
      h.lastFailureType = e.type;
      h.lastFailureAt = e.at;
    }
    h.consecutiveFailures += 1;
    h.backoffUntil = Math.max(h.backoffUntil, e.backoffUntil);
  }
  return h;
}

export interface GrantStore {
  get(memberId: string): Promise<Grant | null>;
  /**
   * Moves the grant from `expected` to a newer version with `update`; null when another writer
   * moved it first (exactly one of N racing writers wins). A grant wedged by the old bug (the
   * ledger ahead of the grant's version, so the next version is taken) is repaired here: if the
   * grant still shows `expected`, the write takes the version above the ledger's highest.
   */
  cas(memberId: string, expected: number, update: GrantUpdate): Promise<number | null>;
  /** A fresh authorization replaces any grant, dead, alive or wedged; always succeeds. */
  replace(memberId: string, fields: GrantFields): Promise<number>;
  remove(memberId: string): Promise<boolean>;
  /** Grants with status ok whose access token expires before `before`, soonest first. */
  dueBefore(before: number, limit: number): Promise<Grant[]>;

  health(memberId: string): Promise<GrantHealth>;
  recordFailure(memberId: string, type: FailureType, at: number, backoffUntil: number): Promise<void>;
  recordSuccess(memberId: string, at: number): Promise<void>;
  /** Drops health events older than `before` (the newest of each grant is what counts). */
  purgeHealth(before: number): Promise<void>;
}
