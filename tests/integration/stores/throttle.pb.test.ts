import { throttleContract } from '../../../sync-server/src/auth/throttle.contract';
import { createPbLimiter } from '../../../sync-server/src/auth/pb-limiter';
import { useStoreDb } from './store-db';

const s = useStoreDb();

throttleContract(async () => ({ limiter: createPbLimiter(s.admin), dispose: async () => {} }));
