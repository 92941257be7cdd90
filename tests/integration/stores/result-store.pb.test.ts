import { createPbResultStore } from '../../../sync-server/src/rooms/pb-result-store';
import { createPbRoomStore } from '../../../sync-server/src/rooms/pb-room-store';
import { resultStoreContract } from '../../../sync-server/src/rooms/result-store.contract';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();
/** A well-formed join code (the rooms alphabet, 8 characters), unique enough for a test. */
const roomCode = () => Array.from({ length: 8 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 32)]).join('');

resultStoreContract(async () => {
  const rooms = createPbRoomStore(s.admin);
  const owners: string[] = [];
  return {
    store: createPbResultStore(s.admin),
    seed: async (count) => {
      const owner = await newMember(s.admin);
      owners.push(owner);
      const room = await rooms.createRoom({ owner, name: 'Results', code: roomCode() });
      if (room === 'code_taken') throw new Error('code taken');
      const participants = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const row = await rooms.createParticipant({
            id: rooms.newId(),
            room: room.id,
            deviceId: `device-${i}-${Math.random().toString(36).slice(2, 10)}`,
            joinedAt: Date.now(),
            name: `P${i}`,
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
          return row.id;
        }),
      );
      return { room: room.id, participants };
    },
    member: async () => {
      const id = await newMember(s.admin);
      owners.push(id);
      return id;
    },
    // Deleting the owners cascades to their rooms, and from there to participants and results.
    dispose: async () => {
      for (const id of owners) await s.admin.collection('users').delete(id);
    },
  };
});
