import type { FailureType, Grant, GrantHealth, GrantStore } from './store';
import type { TokenCipher } from './token-cipher';

/**
 * The grant as the engine uses it: the store plus the token cipher. Tokens are sealed here,
 * bound to the member, the field and the provider (`aad`), and opened only for one call.
 */
export interface TokenWrite {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string;
  authorizedAt?: number;
}

/** The additional authenticated data of one sealed field: a ciphertext opens only where it was written. */
export type SealBinding = (memberId: string, field: 'access_token' | 'refresh_token') => string;

export function createSealedGrants<S extends GrantStore>(store: S, cipher: TokenCipher, aad: SealBinding) {
  const seal = (memberId: string, t: TokenWrite) => ({
    sealed: {
      accessToken: cipher.seal(t.accessToken, aad(memberId, 'access_token')),
      refreshToken: cipher.seal(t.refreshToken, aad(memberId, 'refresh_token')),
      keyId: cipher.currentKeyId,
    },
    expiresAt: t.expiresAt,
    scopes: t.scopes,
  });

  return {
    store,
    get: (memberId: string) => store.get(memberId),
    health: (memberId: string): Promise<GrantHealth> => store.health(memberId),

    openTokens(g: Grant): { accessToken: string; refreshToken: string } | null {
      const accessToken = cipher.open(g.sealed.accessToken, aad(g.memberId, 'access_token'));
      const refreshToken = cipher.open(g.sealed.refreshToken, aad(g.memberId, 'refresh_token'));
      return accessToken === null || refreshToken === null ? null : { accessToken, refreshToken };
    },

    /** A fresh authorization (connect): replaces any previous grant, with a new consent lifetime. */
    replace(memberId: string, t: TokenWrite & { authorizedAt: number }, now: number): Promise<number> {
      return store.replace(memberId, { ...seal(memberId, t), authorizedAt: t.authorizedAt, statusAt: now });
    },

    /** Saves a refresh's result before anyone uses it; the refresh token is never blank. */
    async saveRefresh(g: Grant, t: TokenWrite, now: number): Promise<number | null> {
      if (!t.refreshToken) throw new Error('refusing to store an empty refresh token');
      const v = await store.cas(g.memberId, g.version, { ...seal(g.memberId, t), status: 'ok' });
      if (v !== null) await store.recordSuccess(g.memberId, now).catch(() => undefined);
      return v;
    },

    /** invalid_grant: keep the row for audit, stop using it; a CAS, so a newer connect is never hit. */
    async markNeedsReconnect(g: Grant, now: number): Promise<number | null> {
      const v = await store.cas(g.memberId, g.version, { status: 'needs_reconnect', statusAt: now });
      if (v !== null) await store.recordFailure(g.memberId, 'auth', now, 0).catch(() => undefined);
      return v;
    },

    recordFailure: (memberId: string, type: FailureType, now: number, backoffUntil = 0) => store.recordFailure(memberId, type, now, backoffUntil),
    recordSuccess: (memberId: string, now: number) => store.recordSuccess(memberId, now),
    remove: (memberId: string) => store.remove(memberId),
    dueBefore: (before: number, limit = 50) => store.dueBefore(before, limit),
  };
}

export type SealedGrants = ReturnType<typeof createSealedGrants<GrantStore>>;
