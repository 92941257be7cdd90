import type PocketBase from 'pocketbase';
import type { OAuthStateStore } from './oauth-state-store';

type Row = { id: string; state_hash: string; member: string; session: string; verifier: string; expires_at: number };
const COL = 'spotify_oauth_states';

/** `spotify_oauth_states`: unique on `state_hash`; consuming is a delete, which only one caller wins. */
export function createPbOAuthStateStore(pb: PocketBase): OAuthStateStore {
  return {
    async create(s) {
      await pb.collection(COL).create({ state_hash: s.stateHash, member: s.memberId, session: s.sessionId, verifier: s.sealedVerifier, expires_at: s.expiresAt });
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
