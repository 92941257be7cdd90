import { randomBytes } from 'node:crypto';
import PocketBase, { ClientResponseError } from 'pocketbase';
import type { TokenCipher } from './token-cipher';

/**
 * A member's Spotify grant in PocketBase (`spotify_grants`, record id = member id). Tokens are
 * sealed with the token cipher; they are opened only inside the token engine, for one call.
 *
 * Token writes are a compare-and-swap on `version`: one batch (one SQLite transaction) creates
 * `spotify_grant_versions (grant, version+1)` and updates the grant. The unique index on
 * (grant, version) lets exactly one writer win; a loser's batch rolls back as a whole and it
 * gets `false` (spotify-emulator.md §3 rule 2). Failure statistics are written without the CAS:
 * they never touch the token fields.
 */
export type GrantStatus = 'ok' | 'needs_reconnect';
export type FailureType = 'auth' | 'network' | 'rate' | 'unknown';

export interface Grant {
  memberId: string;
  version: number;
  status: GrantStatus;
  statusAt: number;
  authorizedAt: number;
  expiresAt: number;
  scopes: string;
  consecutiveFailures: number;
  lastFailureType: FailureType | null;
  lastFailureAt: number;
  lastSuccessAt: number;
  backoffUntil: number;
  mutedFrom: number;
  /** Sealed values: open them with `openTokens`. */
  sealed: { accessToken: string; refreshToken: string; keyId: string };
}

export interface TokenWrite {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string;
  authorizedAt?: number;
}

type Row = {
  id: string;
  member: string;
  access_token: string;
  refresh_token: string;
  key_id: string;
  authorized_at: number;
  expires_at: number;
  scopes: string;
  version: number;
  status: GrantStatus;
  status_at: number;
  consecutive_failures: number;
  last_failure_type: string;
  last_failure_at: number;
  last_success_at: number;
  backoff_until: number;
  muted_from: number;
};

const fromRow = (r: Row): Grant => ({
  memberId: r.id,
  version: r.version,
  status: r.status,
  statusAt: r.status_at,
  authorizedAt: r.authorized_at,
  expiresAt: r.expires_at,
  scopes: r.scopes,
  consecutiveFailures: r.consecutive_failures,
  lastFailureType: (r.last_failure_type || null) as FailureType | null,
  lastFailureAt: r.last_failure_at,
  lastSuccessAt: r.last_success_at,
  backoffUntil: r.backoff_until,
  mutedFrom: r.muted_from,
  sealed: { accessToken: r.access_token, refreshToken: r.refresh_token, keyId: r.key_id },
});

const isClientError = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;

export function createGrantStore(pb: PocketBase, cipher: TokenCipher) {
  const GRANTS = 'spotify_grants';
  const VERSIONS = 'spotify_grant_versions';
  const sealTokens = (memberId: string, t: TokenWrite) => ({
    access_token: cipher.seal(t.accessToken, `${memberId}:access_token`),
    refresh_token: cipher.seal(t.refreshToken, `${memberId}:refresh_token`),
    key_id: cipher.currentKeyId,
    expires_at: Math.max(0, Math.floor(t.expiresAt)),
    scopes: t.scopes.slice(0, 1000),
  });

  async function get(memberId: string): Promise<Grant | null> {
    const r = await pb.collection(GRANTS).getList<Row>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), skipTotal: true });
    return r.items[0] ? fromRow(r.items[0]) : null;
  }

  /** Moves the grant from `expected` to `expected + 1` with `fields`; false if someone else did first. */
  async function cas(memberId: string, expected: number, fields: Record<string, unknown>): Promise<boolean> {
    const batch = pb.createBatch();
    batch.collection(VERSIONS).create({ grant: memberId, version: expected + 1 });
    batch.collection(GRANTS).update(memberId, { ...fields, version: expected + 1 });
    try {
      await batch.send();
    } catch (e) {
      if (isClientError(e)) return false;
      throw e;
    }
    // The ledger only needs the latest rows; older ones are trimmed now and then.
    if ((expected + 1) % 20 === 0) void trimLedger(memberId, expected - 5).catch(() => undefined);
    return true;
  }

  async function trimLedger(memberId: string, below: number) {
    const old = await pb.collection(VERSIONS).getList<{ id: string }>(1, 100, {
      filter: pb.filter('grant = {:g} && version < {:v}', { g: memberId, v: below }),
      fields: 'id',
      skipTotal: true,
    });
    if (old.items.length === 0) return;
    const batch = pb.createBatch();
    for (const r of old.items) batch.collection(VERSIONS).delete(r.id);
    await batch.send();
  }

  return {
    get,

    openTokens(g: Grant): { accessToken: string; refreshToken: string } | null {
      const accessToken = cipher.open(g.sealed.accessToken, `${g.memberId}:access_token`);
      const refreshToken = cipher.open(g.sealed.refreshToken, `${g.memberId}:refresh_token`);
      return accessToken === null || refreshToken === null ? null : { accessToken, refreshToken };
    },

    /**
     * A fresh authorization (connect): replaces any previous grant wholesale, dead or alive,
     * with a new 6-month consent lifetime. Returns the new version.
     */
    async replace(memberId: string, t: TokenWrite & { authorizedAt: number }, now: number): Promise<number> {
      const fresh = {
        ...sealTokens(memberId, t),
        authorized_at: t.authorizedAt,
        status: 'ok',
        status_at: now,
        consecutive_failures: 0,
        last_failure_type: '',
        last_failure_at: 0,
        last_success_at: now,
        backoff_until: 0,
        muted_from: 0,
      };
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await get(memberId);
        if (current) {
          if (await cas(memberId, current.version, fresh)) return current.version + 1;
          continue;
        }
        const batch = pb.createBatch();
        batch.collection(GRANTS).create({ id: memberId, member: memberId, ...fresh, version: 1 });
        batch.collection(VERSIONS).create({ grant: memberId, version: 1 });
        try {
          await batch.send();
          return 1;
        } catch (e) {
          if (!isClientError(e)) throw e;
        }
      }
      throw new Error('spotify grant: too much contention replacing it');
    },

    /** Save a refresh's result before anyone uses it. The refresh token is never blank. */
    async saveRefresh(g: Grant, t: TokenWrite, now: number): Promise<boolean> {
      if (!t.refreshToken) throw new Error('refusing to store an empty refresh token');
      return cas(g.memberId, g.version, {
        ...sealTokens(g.memberId, t),
        status: 'ok',
        consecutive_failures: 0,
        last_failure_type: '',
        last_success_at: now,
        backoff_until: 0,
      });
    },

    /** invalid_grant: keep the row for audit, stop using it. CAS so a newer connect is never hit. */
    async markNeedsReconnect(g: Grant, now: number): Promise<boolean> {
      return cas(g.memberId, g.version, {
        status: 'needs_reconnect',
        status_at: now,
        consecutive_failures: g.consecutiveFailures + 1,
        last_failure_type: 'auth',
        last_failure_at: now,
      });
    },

    async recordFailure(g: Grant, type: FailureType, now: number, backoffUntil = 0): Promise<void> {
      await pb.collection(GRANTS).update(g.memberId, {
        consecutive_failures: g.consecutiveFailures + 1,
        last_failure_type: type,
        last_failure_at: now,
        ...(backoffUntil > 0 ? { backoff_until: backoffUntil } : {}),
      });
    },

    async recordSuccess(g: Grant, now: number): Promise<void> {
      await pb.collection(GRANTS).update(g.memberId, { consecutive_failures: 0, last_success_at: now, backoff_until: 0 });
    },

    async setMutedFrom(memberId: string, volume: number): Promise<void> {
      await pb.collection(GRANTS).update(memberId, { muted_from: volume });
    },

    async remove(memberId: string): Promise<boolean> {
      try {
        await pb.collection(GRANTS).delete(memberId);
        return true;
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 404) return false;
        throw e;
      }
    },

    /** Grants whose access token expires before `before` (background refresh ahead of expiry). */
    async dueBefore(before: number, limit = 50): Promise<Grant[]> {
      const r = await pb.collection(GRANTS).getList<Row>(1, limit, {
        filter: pb.filter("status = 'ok' && expires_at < {:before}", { before }),
        sort: 'expires_at',
        skipTotal: true,
      });
      return r.items.map(fromRow);
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;

export const randomId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(15)].map((b) => alphabet[b % 36]).join('');
};
