import { randomBytes } from 'node:crypto';
import { createMemoryUploadStore } from './memory-store';
import { uploadStoreContract } from './store.contract';

uploadStoreContract('memory', async () => {
  const s = createMemoryUploadStore();
  return { stores: [s, s], newMember: async () => randomBytes(8).toString('hex').slice(0, 15) };
});
