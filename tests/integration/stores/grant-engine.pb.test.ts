import { grantEngineContract } from '../../../sync-server/src/grants/engine.contract';
import { createPbGrantStore, STRAVA_GRANT_COLLECTIONS } from '../../../sync-server/src/grants/pb-grant-store';
import { createLeases } from '../../../sync-server/src/spotify/lease';
import { createPbGrantStore as createSpotifyPbGrantStore } from '../../../sync-server/src/spotify/pb-grant-store';
import { anotherAdmin, newMember, useStoreDb } from './store-db';

/**
 * The grant engine's contract over PocketBase, for Spotify (spotify_grants…) and Strava
 * (strava_grants…, pb_migrations/1763902200_strava_grants.js): two "processes", each with its own
 * superuser client, lease holder and engine, over one PocketBase.
 */
const s = useStoreDb();

grantEngineContract(async (provider) => {
  const second = await anotherAdmin(s.pb);
  const grants = (pb: typeof second) => (provider === 'strava' ? createPbGrantStore(pb, STRAVA_GRANT_COLLECTIONS) : createSpotifyPbGrantStore(pb));
  return {
    grants: [grants(s.admin), grants(second)],
    // Strava's leases live in the provider-neutral collection (pb_migrations/1763902500_strava_uploads.js).
    leases: provider === 'strava' ? [createLeases(s.admin, 'process-a', 'provider_leases'), createLeases(second, 'process-b', 'provider_leases')] : [createLeases(s.admin, 'process-a'), createLeases(second, 'process-b')],
    newMember: () => newMember(s.admin),
    dispose: async () => undefined,
  };
});
