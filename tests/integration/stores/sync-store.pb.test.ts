import { createPbSyncStore } from '../../../sync-server/src/sync/pb-sync-store';
import { syncStoreContract } from '../../../sync-server/src/sync/sync-store.contract';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();

syncStoreContract(async () => {
  const users: string[] = [];
  return {
    store: createPbSyncStore(s.admin),
    newMember: async () => {
      // Members are users (the sync rows' relation); deleting them cascades to every sync row.
      const id = await newMember(s.admin);
      users.push(id);
      return id;
    },
    dispose: async () => {
      for (const id of users) await s.admin.collection('users').delete(id);
    },
  };
});
