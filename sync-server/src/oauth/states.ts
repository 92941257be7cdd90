import type PocketBase from 'pocketbase';

/**
 * One-time `state` values of OAuth connect attempts (only their SHA-256 is stored), bound to the
 * member's session; one collection per provider (`strava_oauth_states`, `intervals_oauth_states`).
 * `take` consumes: of concurrent callbacks with one state, exactly one gets it.
 */
export interface OAuthState {
  stateHash: string;
  memberId: string;
  sessionId: string;
  expiresAt: number;
}

export interface OAuthStates {
  create(s: OAuthState): Promise<void>;
  take(stateHash: string): Promise<OAuthState | null>;
  purgeExpired(now: number): Promise<void>;
}

type Row = { id: string; state_hash: string; member: string; session: string; expires_at: number };

export function createPbOAuthStates(pb: PocketBase, collection: string): OAuthStates {
  const COL = collection;
  return {
    async create(s) {
      await pb.collection(COL).create({ state_hash: s.stateHash, member: s.memberId, session: s.sessionId, expires_at: s.expiresAt });
    },
    async take(h) {
      const rows = await pb.collection(COL).getList<Row>(1, 1, { filter: pb.filter('state_hash = {:h}', { h }), skipTotal: true });
      const row = rows.items[0];
      if (!row) return null;
      try {
        await pb.collection(COL).delete(row.id);
      } catch {
        return null; // consumed by a concurrent callback
      }
      return { stateHash: row.state_hash, memberId: row.member, sessionId: row.session, expiresAt: row.expires_at };
    },
    async purgeExpired(now) {
      const old = await pb.collection(COL).getList<{ id: string }>(1, 200, { filter: pb.filter('expires_at < {:t}', { t: now }), fields: 'id', skipTotal: true });
      if (old.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of old.items) batch.collection(COL).delete(r.id);
      await batch.send();
    },
  };
}

export function createMemoryOAuthStates(): OAuthStates {
  const rows = new Map<string, OAuthState>();
  return {
    async create(s) {
      rows.set(s.stateHash, { ...s });
    },
    async take(h) {
      const r = rows.get(h) ?? null;
      rows.delete(h);
      return r;
    },
    async purgeExpired(now) {
      for (const [h, r] of rows) if (r.expiresAt < now) rows.delete(h);
    },
  };
}
