import { afterAll, beforeAll } from 'vitest';
import { createPbSessionStore } from '../../../sync-server/src/auth/session-store';
import { sessionStoreContract } from '../../../sync-server/src/auth/session-store.contract';
import { createDb } from '../../../sync-server/src/pocketbase/admin-client';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';

let pb: TestPocketBase;
beforeAll(async () => {
  pb = await startTestPocketBase();
});
afterAll(async () => {
  await pb?.dispose();
});

let n = 0;
sessionStoreContract(async () => {
  const db = createDb(pb.url, pb.superuser);
  await db.connect();
  return {
    store: createPbSessionStore(db.pb),
    async addMember() {
      n += 1;
      const email = `store${n}-${Date.now().toString(36)}@example.com`;
      const u = await db.pb.collection('users').create<{ id: string; email: string; name: string; verified: boolean }>({
        email,
        password: 'violet tandem kettle',
        passwordConfirm: 'violet tandem kettle',
        name: `Member ${n}`,
      });
      return { id: u.id, email: u.email, name: u.name, verified: u.verified };
    },
    removeMember: (id) => db.pb.collection('users').delete(id).then(() => undefined),
    async dispose() {
      db.pb.authStore.clear();
    },
  };
});
