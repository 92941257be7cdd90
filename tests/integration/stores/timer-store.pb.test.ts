import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { createPbTimerStore } from '../../../sync-server/src/rooms/pb-timer-store';
import { timerStoreContract } from '../../../sync-server/src/rooms/timer-store.contract';
import { useStoreDb } from './store-db';

const s = useStoreDb();
let n = 0;

timerStoreContract(async () => {
  const rooms = createPbRoomStore(s.admin);
  return {
    store: createPbTimerStore(s.admin),
    newRoom: async () => {
      const password = 'correct horse battery staple';
      const owner = await s.admin.collection('users').create<{ id: string }>({ email: `t${++n}-${Date.now()}@example.com`, name: 'T', password, passwordConfirm: password });
      const code = `ABCD${String(2222 + n).replace(/[01]/g, '2')}`;
      const room = await rooms.createRoom({ owner: owner.id, name: 'Timer', code });
      if (room === 'code_taken') throw new Error('code taken');
      return room.id;
    },
    dispose: async () => {},
  };
});
