import { grantStoreContract } from '../../../sync-server/src/spotify/grant-store.contract';
import { createPbGrantStore } from '../../../sync-server/src/spotify/pb-grant-store';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();

grantStoreContract(async () => ({
  store: createPbGrantStore(s.admin),
  newMember: () => newMember(s.admin),
  // The old bug, reproduced directly: a ledger row for the next version, the grant left behind.
  wedge: async (id) => {
    const g = await s.admin.collection('spotify_grants').getOne(id);
    await s.admin.collection('spotify_grant_versions').create({ grant: id, version: g.version + 1 });
  },
  dispose: async () => undefined,
}));
