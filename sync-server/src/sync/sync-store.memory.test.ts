import { createMemorySyncStore } from './memory-sync-store';
import { syncStoreContract } from './sync-store.contract';

let members = 0;
syncStoreContract(async () => ({
  store: createMemorySyncStore(),
  newMember: async () => `member${++members}`,
  dispose: async () => {},
}));
