import { afterAll, beforeAll } from 'vitest';
import { createDb, type Db } from '../../../sync-server/src/pocketbase/admin-client';
import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { createPbTimerStore } from '../../../sync-server/src/rooms/pb-timer-store';
import { timerStoreContract } from '../../../sync-server/src/rooms/timer-store.contract';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';

let pb: TestPocketBase;
let db: Db;
let n = 0;

beforeAll(async () => {
  pb = await startTestPocketBase();
  db = createDb(pb.url, pb.superuser);
  await db.connect();
});

afterAll(async () => {
  await pb?.dispose();
});

timerStoreContract(async () => {
  const rooms = createPbRoomStore(db.pb);
  return {
    store: createPbTimerStore(db.pb),
    newRoom: async () => {
      const password = 'correct horse battery staple';
      const owner = await db.pb.collection('users').create<{ id: string }>({ email: `t${++n}-${Date.now()}@example.com`, name: 'T', password, passwordConfirm: password });
      const code = `ABCD${String(2222 + n).replace(/[01]/g, '2')}`;
      const room = await rooms.createRoom({ owner: owner.id, name: 'Timer', code });
      if (room === 'code_taken') throw new Error('code taken');
      return room.id;
    },
    dispose: async () => {},
  };
});
