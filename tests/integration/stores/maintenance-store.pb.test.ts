import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { maintenanceStoreContract } from '../../../sync-server/src/sync/maintenance-store.contract';
import { createPbMaintenanceStore } from '../../../sync-server/src/sync/pb-maintenance-store';
import { createPbSyncStore } from '../../../sync-server/src/sync/pb-sync-store';
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

maintenanceStoreContract(async () => {
  // Members are users (the sync rows' relation); deleting them cascades to every sync row, so
  // each case starts from empty tables.
  const users: string[] = [];
  return {
    sync: createPbSyncStore(db.pb),
    store: createPbMaintenanceStore(db.pb, { maxBatchRequests: 5 }),
    newMember: async () => {
      const password = `pw-${randomUUID()}`;
      const user = await db.pb.collection('users').create({ email: `store-${randomUUID()}@hrm.localhost`, password, passwordConfirm: password, name: 'Store test' });
      users.push(user.id as string);
      return user.id as string;
    },
    dispose: async () => {
      for (const id of users) await db.pb.collection('users').delete(id);
    },
  };
});
