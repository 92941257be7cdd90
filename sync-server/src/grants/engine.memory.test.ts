import { randomBytes } from 'node:crypto';
import { grantEngineContract } from './engine.contract';
import { createMemoryLeaseStore } from './memory-lease-store';
import { createMemoryGrantStore } from './memory-grant-store';

grantEngineContract(async () => {
  const { store } = createMemoryGrantStore();
  const leases = createMemoryLeaseStore();
  return { grants: [store, store], leases: [leases, leases], newMember: async () => randomBytes(8).toString('hex'), dispose: async () => undefined };
});
