import type PocketBase from 'pocketbase';
import type { ParticipantView } from '../../../core/rooms';
import { isNotFound } from '../pocketbase/admin-client';

/** Rows of the class-mode collections (pb_migrations/1763900300_rooms.js) and their reads. */
export interface RoomRow {
  id: string;
  owner: string;
  name: string;
  join_code: string;
  co_coaches: string[];
  created: string;
  expand?: { co_coaches?: Array<{ id: string; name: string }> };
}

export interface DisplayRow {
  id: string;
  room: string;
  name: string;
  token_hash: string;
  pairing_code_hash: string;
  pairing_expires: number;
  created: string;
}

export interface ParticipantRow {
  id: string;
  room: string;
  device_id: string;
  user: string;
  name: string;
  age: number;
  sex: string;
  weight_kg: number;
  max_hr: number;
  token_hash: string;
  status: 'active' | 'left' | 'removed';
  joined_at: number;
  last_seen: number;
}

const ID = /^[a-z0-9]{15}$/;

/** PocketBase stores "no number" as 0 and "no text" as "". */
export function participantView(r: ParticipantRow): ParticipantView {
  return {
    id: r.id,
    name: r.name,
    age: r.age || null,
    sex: r.sex === 'male' || r.sex === 'female' ? r.sex : null,
    weightKg: r.weight_kg || null,
    maxHr: r.max_hr || null,
    member: Boolean(r.user),
    joinedAt: r.joined_at,
  };
}

export function createRoomStore(pb: PocketBase) {
  const getOne = async <T>(collection: string, id: string, options?: { expand?: string }): Promise<T | null> => {
    if (!ID.test(id)) return null;
    try {
      return await pb.collection(collection).getOne<T>(id, options);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  };
  const first = async <T>(collection: string, filter: string): Promise<T | null> =>
    (await pb.collection(collection).getList<T>(1, 1, { filter, skipTotal: true })).items[0] ?? null;

  return {
    pb,
    room: (id: string) => getOne<RoomRow>('rooms', id, { expand: 'co_coaches' }),
    roomByCode: (code: string) => first<RoomRow>('rooms', pb.filter('join_code = {:code}', { code })),
    roomsOf: (userId: string) =>
      pb.collection('rooms').getFullList<RoomRow>({ filter: pb.filter('owner = {:u} || co_coaches.id ?= {:u}', { u: userId }), sort: '-created', expand: 'co_coaches' }),
    display: (id: string) => getOne<DisplayRow>('room_displays', id),
    displayByPairingHash: (hash: string) => first<DisplayRow>('room_displays', pb.filter('pairing_code_hash = {:hash}', { hash })),
    displaysOf: (roomId: string) => pb.collection('room_displays').getFullList<DisplayRow>({ filter: pb.filter('room = {:roomId}', { roomId }), sort: 'created' }),
    participant: (id: string) => getOne<ParticipantRow>('room_participants', id),
    participantByDevice: (roomId: string, deviceId: string) =>
      first<ParticipantRow>('room_participants', pb.filter('room = {:roomId} && device_id = {:deviceId}', { roomId, deviceId })),
    /**
     * Presence: the hub's only write, at most every 30 s per participant. PocketBase writes the
     * whole row on update from a read taken before; a plain update here could write back the
     * status and token hash a concurrent removal just changed (a kicked phone let back in).
     * Inside a batch, the read and the write run in one transaction on PocketBase's single
     * writer connection, so this write never carries a stale status; at worst a racing plain
     * update loses this last_seen, which the next touch restores.
     */
    touchParticipant: async (participantId: string, at: number): Promise<void> => {
      const batch = pb.createBatch();
      batch.collection('room_participants').update(participantId, { last_seen: at });
      await batch.send();
    },
    activeParticipants: (roomId: string) =>
      pb.collection('room_participants').getFullList<ParticipantRow>({ filter: pb.filter('room = {:roomId} && status = "active"', { roomId }), sort: 'joined_at' }),
  };
}

export type RoomStore = ReturnType<typeof createRoomStore>;
