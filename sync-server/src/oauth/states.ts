import { createHash } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';

/**
 * One-time `state` values of OAuth connect attempts (only their SHA-256 is stored), bound to the
 * member's session; one collection per provider (`strava_oauth_states`, `intervals_oauth_states`).
 * `take` consumes: of concurrent callbacks with one state, exactly one gets it.
 *
 * On PocketBase the consuming step is a create, not the delete: two deletes of one record that
 * race both succeed (each loads the row before the other's delete commits, and a delete of a row
 * already gone is not an error), so "whoever deletes it" let two callbacks through (1 run in 4
 * of states.contract.ts). A create under the unique index on `state_hash` has exactly one
 * winner: the taker creates a claim row whose hash is derived from the state's, and only the
 * winner deletes the state and gets it. A taker killed between the two leaves the state behind
 * already claimed, so it is never handed out again; the claim row expires with the state and
 * `purgeExpired` removes both.
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

/** A claim row's `session`: never a session id, so a claim row is never taken as a state. */
const CLAIM_SESSION = 'claimed';
/** The claim row's hash: derived from the state's, still 64 hex digits (the column's rule). */
const claimHash = (stateHash: string) => createHash('sha256').update(`claim:${stateHash}`).digest('hex');

export function createPbOAuthStates(pb: PocketBase, collection: string): OAuthStates {
  const COL = collection;
  return {
    async create(s) {
      await pb.collection(COL).create({ state_hash: s.stateHash, member: s.memberId, session: s.sessionId, expires_at: s.expiresAt });
    },
    async take(h) {
      const rows = await pb.collection(COL).getList<Row>(1, 1, { filter: pb.filter('state_hash = {:h}', { h }), skipTotal: true });
      const row = rows.items[0];
      if (!row || row.session === CLAIM_SESSION) return null;
      try {
        await pb.collection(COL).create({ state_hash: claimHash(h), member: row.member, session: CLAIM_SESSION, expires_at: row.expires_at });
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) return null; // claimed by a concurrent callback
        throw e;
      }
      await pb.collection(COL).delete(row.id).catch(() => undefined); // gone meanwhile: already claimed, nothing to undo
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
