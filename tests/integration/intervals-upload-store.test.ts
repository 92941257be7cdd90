import { INTERVALS_UPLOAD_COLLECTIONS, INTERVALS_WELLNESS_COLLECTIONS } from '../../sync-server/src/intervals/feature';
import { createPbUploadStore } from '../../sync-server/src/uploads/pb-store';
import { uploadStoreContract } from '../../sync-server/src/uploads/store.contract';
import { anotherAdmin, newMember, useStoreDb } from './stores/store-db';

/** intervals.icu's two queues (uploads, wellness) pass the upload store's contract over their own collections. */
const s = useStoreDb();

for (const [name, collections] of [
  ['intervals uploads', INTERVALS_UPLOAD_COLLECTIONS],
  ['intervals wellness', INTERVALS_WELLNESS_COLLECTIONS],
] as const) {
  uploadStoreContract(`pocketbase ${name}`, async () => {
    const second = await anotherAdmin(s.pb);
    return { stores: [createPbUploadStore(s.admin, collections), createPbUploadStore(second, collections)], newMember: () => newMember(s.admin) };
  });
}
