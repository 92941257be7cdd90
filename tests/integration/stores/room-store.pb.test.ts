import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { roomStoreContract } from '../../../sync-server/src/rooms/room-store.contract';
import { useStoreDb } from './store-db';

const s = useStoreDb();

roomStoreContract(async () => ({
  store: createPbRoomStore(s.admin),
  addMember: async (name, email) => {
    const password = 'correct horse battery staple';
    const u = await s.admin.collection('users').create<{ id: string }>({ email, name, password, passwordConfirm: password, verified: true });
    return u.id;
  },
  dispose: async () => {},
}));
