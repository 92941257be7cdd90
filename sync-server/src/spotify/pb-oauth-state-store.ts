import { createHash } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import type { OAuthStateStore } from './oauth-state-store';

type Row = { id: string; state_hash: string; member: string; session: string; verifier: string; expires_at: number };
const COL = 'spotify_oauth_states';

/** A claim row's `session` and `verifier`: never a session id, so a claim row is never taken as a state. */
const CLAIMED = 'claimed';
/** The claim row's hash: derived from the state's, still 64 hex digits (the column's rule). */
const claimHash = (stateHash: string) => createHash('sha256').update(`claim:${stateHash}`).digest('hex');

/**
 * `spotify_oauth_states`, unique on `state_hash`. Consuming is the create of a claim row under
 * that index (exactly one winner), not the delete: two racing deletes of one record both answer
 * 204 (docs/server-state.md), as oauth/states.ts found for Strava and intervals.icu.
 */
export function createPbOAuthStateStore(pb: PocketBase): OAuthStateStore {
  return {
    async create(s) {
      await pb.collection(COL).create({ state_hash: s.stateHash, member: s.memberId, session: s.sessionId, verifier: s.sealedVerifier, expires_at: s.expiresAt });
    },
    async take(h) {
      const rows = await pb.collection(COL).getList<Row>(1, 1, { filter: pb.filter('state_hash = {:h}', { h }), skipTotal: true });
      const row = rows.items[0];
      if (!row || row.session === CLAIMED) return null;
      try {
        await pb.collection(COL).create({ state_hash: claimHash(h), member: row.member, session: CLAIMED, verifier: CLAIMED, expires_at: row.expires_at });
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) return null; // claimed by a concurrent callback
        throw e;
      }
      await pb.collection(COL).delete(row.id).catch(() => undefined); // gone meanwhile: already claimed
      return { stateHash: row.state_hash, memberId: row.member, sessionId: row.session, sealedVerifier: row.verifier, expiresAt: row.expires_at };
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
