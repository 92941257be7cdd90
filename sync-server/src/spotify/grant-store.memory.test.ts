import { randomBytes } from 'node:crypto';
import { grantStoreContract } from './grant-store.contract';
import { createMemoryGrantStore } from './memory-grant-store';

grantStoreContract(async () => {
  const { store, wedge } = createMemoryGrantStore();
  return { store, newMember: async () => randomBytes(8).toString('hex'), wedge: async (id) => wedge(id), dispose: async () => undefined };
});
