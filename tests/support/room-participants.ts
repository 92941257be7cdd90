import type PocketBase from 'pocketbase';
import { newCode } from '../../sync-server/src/rooms/credentials';
import { createPbRoomStore } from '../../sync-server/src/rooms/pb-room-store';

/** A room of `owner`'s in PocketBase with `n` active guest participants, made through the room store. */
export async function roomWithParticipants(admin: PocketBase, owner: string, n: number) {
  const store = createPbRoomStore(admin);
  const room = await store.createRoom({ owner, name: 'Presence', code: newCode() });
  if (room === 'code_taken') throw new Error('room code taken');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = store.newId();
    const fields = { name: `P${i}`, age: 30, sex: '', weight_kg: 0, max_hr: 0, resting_hr: 0, unranked: false, user: '', token_hash: 'a'.repeat(64), status: 'active' as const };
    await store.createParticipant({ id, room: room.id, deviceId: `device-${id}`, joinedAt: 1, ...fields });
    ids.push(id);
  }
  return { store, roomId: room.id, ids };
}
