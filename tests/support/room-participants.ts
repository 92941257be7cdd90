import { randomInt } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { createPbRoomStore } from '../../sync-server/src/rooms/pb-room-store';

/** A room code (8 of [A-Z2-9]) of its own for each room. */
export const randomRoomCode = () => Array.from({ length: 8 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[randomInt(32)]).join('');

/** A room of `owner`'s in PocketBase with `n` active guest participants, made through the room store. */
export async function roomWithParticipants(admin: PocketBase, owner: string, n: number) {
  const store = createPbRoomStore(admin);
  const room = await store.createRoom({ owner, name: 'Presence', code: randomRoomCode() });
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
