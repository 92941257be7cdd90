import { limiterContract } from '../../../sync-server/src/auth/limiter.contract';
import { createPbLimiter } from '../../../sync-server/src/auth/pb-limiter';
import { useStoreDb } from './store-db';

const s = useStoreDb();

limiterContract(async () => ({ limiter: createPbLimiter(s.admin), dispose: async () => {} }));
