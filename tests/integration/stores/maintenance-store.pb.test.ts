import { maintenanceStoreContract } from '../../../sync-server/src/sync/maintenance-store.contract';
import { createPbMaintenanceStore } from '../../../sync-server/src/sync/pb-maintenance-store';
import { createPbSyncStore } from '../../../sync-server/src/sync/pb-sync-store';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();

maintenanceStoreContract(async () => {
  // Members are users (the sync rows' relation); deleting them cascades to every sync row, so
  // each case starts from empty tables.
  const users: string[] = [];
  return {
    sync: createPbSyncStore(s.admin),
    store: createPbMaintenanceStore(s.admin, { maxBatchRequests: 5 }),
    newMember: async () => {
      const id = await newMember(s.admin);
      users.push(id);
      return id;
    },
    dispose: async () => {
      for (const id of users) await s.admin.collection('users').delete(id);
    },
  };
});
