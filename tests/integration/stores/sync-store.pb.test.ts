import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { createPbSyncStore } from '../../../sync-server/src/sync/pb-sync-store';
import { syncStoreContract } from '../../../sync-server/src/sync/sync-store.contract';
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

/** Members are users (the sync rows' relation); deleting them cascades to every sync row. */
async function newUser(db: Db): Promise<string> {
  const password = `pw-${randomUUID()}`;
  const user = await db.pb.collection('users').create({ email: `store-${randomUUID()}@hrm.localhost`, password, passwordConfirm: password, name: 'Store test' });
  return user.id as string;
}

syncStoreContract(async () => {
  const users: string[] = [];
  return {
    store: createPbSyncStore(db.pb),
    newMember: async () => {
      const id = await newUser(db);
      users.push(id);
      return id;
    },
    dispose: async () => {
      for (const id of users) await db.pb.collection('users').delete(id);
    },
  };
});
