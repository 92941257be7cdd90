import { leaseStoreContract } from './lease-store.contract';
import { createMemoryLeaseStore } from './memory-lease-store';

leaseStoreContract(async () => {
  const store = createMemoryLeaseStore();
  return { stores: [store, store], dispose: async () => undefined };
});
