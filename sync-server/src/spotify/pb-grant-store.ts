import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { createPbGrantStore as createNeutral, SPOTIFY_GRANT_COLLECTIONS } from '../grants/pb-grant-store';
import type { GrantStore } from './grant-store';

/**
 * Spotify's grant store in PocketBase: the provider-neutral one (grants/pb-grant-store.ts) over
 * `spotify_grants`, `spotify_grant_versions`, `spotify_grant_events`, plus the mute volume
 * (`spotify_mutes`, record id = member id), a record of its own so that it never rewrites the grant.
 */
const MUTES = 'spotify_mutes';

const isClientError = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;
const isStatus = (e: unknown, s: number) => e instanceof ClientResponseError && e.status === s;

export function createPbGrantStore(pb: PocketBase): GrantStore {
  return {
    ...createNeutral(pb, SPOTIFY_GRANT_COLLECTIONS),

    async mutedFrom(memberId) {
      const r = await pb.collection(MUTES).getList<{ muted_from: number }>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), fields: 'muted_from', skipTotal: true });
      return r.items[0]?.muted_from ?? 0;
    },

    async setMutedFrom(memberId, volume) {
      // One field, one writer role (the member's mute/unmute): the last write wins.
      const v = Math.max(0, Math.min(100, Math.round(volume)));
      try {
        await pb.collection(MUTES).update(memberId, { muted_from: v });
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
        try {
          await pb.collection(MUTES).create({ id: memberId, grant: memberId, muted_from: v });
        } catch (e2) {
          if (!isClientError(e2)) throw e2;
          // Created by a concurrent mute, or the grant is gone: try the update once more.
          await pb.collection(MUTES).update(memberId, { muted_from: v }).catch(() => undefined);
        }
      }
    },
  };
}
