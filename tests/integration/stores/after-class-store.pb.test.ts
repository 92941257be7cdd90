import { afterClassStoreContract } from '../../../sync-server/src/hubs/after-class-store.contract';
import { createPbAfterClassStore } from '../../../sync-server/src/hubs/pb-after-class-store';
import { useStoreDb } from './store-db';

const s = useStoreDb();

afterClassStoreContract('PocketBase', async () => createPbAfterClassStore(s.admin));
