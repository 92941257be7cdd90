import { createPbHubStore } from '../../../sync-server/src/hubs/pb-hub-store';
import { hubStoreContract } from '../../../sync-server/src/hubs/hub-store.contract';
import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();
let n = 0;

hubStoreContract(async () => {
  const rooms = createPbRoomStore(s.admin);
  return {
    store: createPbHubStore(s.admin),
    newMember: () => newMember(s.admin),
    newRoom: async () => {
      const owner = await newMember(s.admin);
      const code = `HUBS${String(2222 + ++n).replace(/[01]/g, '2')}`;
      const room = await rooms.createRoom({ owner, name: 'Hub', code });
      if (room === 'code_taken') throw new Error('code taken');
      return room.id;
    },
    newParticipant: async (room) => {
      const id = rooms.newId();
      const row = await rooms.createParticipant({
        id,
        room,
        deviceId: `dev-${id}`,
        joinedAt: Date.now(),
        name: 'P',
        age: 30,
        sex: '',
        weight_kg: 0,
        max_hr: 0,
        resting_hr: 0,
        unranked: false,
        user: '',
        token_hash: 'a'.repeat(64),
        status: 'active',
      });
      if (row === 'exists') throw new Error('exists');
      return id;
    },
  };
});
