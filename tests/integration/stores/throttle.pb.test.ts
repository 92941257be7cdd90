import { afterAll, beforeAll } from 'vitest';
import { throttleContract } from '../../../sync-server/src/auth/throttle.contract';
import { createPbLimiter } from '../../../sync-server/src/auth/pb-limiter';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';

let pb: TestPocketBase;
let db: Db;

beforeAll(async () => {
  pb = await startTestPocketBase();
  db = createDb(pb.url, pb.superuser);
  await db.connect();
});

afterAll(async () => {
  await pb?.dispose();
});

throttleContract(async () => ({ limiter: createPbLimiter(db.pb), dispose: async () => {} }));
