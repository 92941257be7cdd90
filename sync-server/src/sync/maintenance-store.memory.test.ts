import { maintenanceStoreContract } from './maintenance-store.contract';
import { createMemoryMaintenanceStore } from './memory-maintenance-store';
import { createMemorySyncStore } from './memory-sync-store';

let members = 0;
maintenanceStoreContract(async () => {
  const sync = createMemorySyncStore();
  return { sync, store: createMemoryMaintenanceStore(sync.tables), newMember: async () => `member${++members}`, dispose: async () => {} };
});
