import { afterAll, beforeAll } from 'vitest';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { roomStoreContract } from '../../../sync-server/src/rooms/room-store.contract';
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

roomStoreContract(async () => ({
  store: createPbRoomStore(db.pb),
  addMember: async (name, email) => {
    const password = 'correct horse battery staple';
    const u = await db.pb.collection('users').create<{ id: string }>({ email, name, password, passwordConfirm: password, verified: true });
    return u.id;
  },
  dispose: async () => {},
}));
