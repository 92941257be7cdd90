import { randomBytes } from 'node:crypto';
import { annotateStoreContract } from './annotate-store.contract';
import { createMemoryAnnotateStore } from './memory-annotate-store';

annotateStoreContract(async () => {
  const { store, seedSession } = createMemoryAnnotateStore();
  return { store, newMember: async () => randomBytes(7).toString('hex'), seedSession: async (...a) => seedSession(...a), dispose: async () => undefined };
});
