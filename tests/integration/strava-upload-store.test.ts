import { createPbUploadStore } from '../../sync-server/src/uploads/pb-store';
import { uploadStoreContract } from '../../sync-server/src/uploads/store.contract';
import { anotherAdmin, newMember, useStoreDb } from './stores/store-db';

/** The upload queue's contract over a real PocketBase: two "processes", each with its own superuser client. */
const s = useStoreDb();

uploadStoreContract('pocketbase', async () => {
  const second = await anotherAdmin(s.pb);
  return { stores: [createPbUploadStore(s.admin), createPbUploadStore(second)], newMember: () => newMember(s.admin) };
});
