import type PocketBase from 'pocketbase';
import { TILE_SORT_MODES, type TileSortMode } from '../../../core/rooms';
import { isUniqueViolation } from '../auth/pb-limiter';
import { isNotFound } from '../pocketbase/admin-client';
import { HRM_ROUTES } from '../pocketbase/hrm-routes';
import { clientError, newRecordId, pbRecords } from './pb-store-support';
import {
  isRecordId,
  type DisplayRow,
  type Invitation,
  type MemberRow,
  type ParticipantRow,
  type RoomRow,
  type RoomStore,
} from './store';

/**
 * RoomStore over PocketBase (pb_migrations/1763900300_rooms.js + 1763901100_room_stores.js).
 * Which record each writer touches, and why (PocketBase rewrites a whole record on update):
 * rename → rooms.name; rotate → room_codes (id = the room's id); the screens' tile order →
 * room_settings (id = the room's id, written only by set-tile-sort); co-coaches → room_coaches rows;
 * pairing → room_display_claims (unique code hash) + the display, in one batch; participant
 * changes → a room_participant_versions ledger row (unique (participant, version)) + the row,
 * in one batch, so a write built on an old version fails instead of undoing a newer one;
 * presence → room_presence (id = the participant's id), written by nobody else, through HRM's
 * route in pb_hooks/ (one SQL statement per call).
 */
const ROOM_EXPAND = 'room_codes_via_room,room_coaches_via_room,room_settings_via_room';
const PARTICIPANT_EXPAND = 'room_presence_via_participant';
/** Presence rows per request to HRM_ROUTES.roomPresence (the route takes up to 1000). */
const PRESENCE_BATCH = 200;

type PbRoom = {
  id: string;
  owner: string;
  name: string;
  created: string;
  expand?: { room_codes_via_room?: Many<{ code: string }>; room_coaches_via_room?: Many<{ user: string }>; room_settings_via_room?: Many<{ tile_sort: string }> };
};
type PbParticipant = Omit<ParticipantRow, 'last_seen' | 'version'> & {
  last_seen?: number;
  version?: number;
  expand?: { room_presence_via_participant?: Many<{ last_seen: number }> };
};
type PbInvitation = { id: string; room: string; email: string; invited_by: string; created: string };
type Many<T> = T | T[];

const many = <T>(x: Many<T> | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function roomRow(r: PbRoom): RoomRow {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    join_code: many(r.expand?.room_codes_via_room)[0]?.code ?? '',
    coaches: many(r.expand?.room_coaches_via_room).map((c) => c.user),
    tile_sort: tileSortOf(many(r.expand?.room_settings_via_room)[0]?.tile_sort),
    created: r.created,
  };
}

const tileSortOf = (v: string | undefined): TileSortMode => ((TILE_SORT_MODES as readonly string[]).includes(v ?? '') ? (v as TileSortMode) : 'name');

function participantRow(p: PbParticipant): ParticipantRow {
  const { expand, ...rest } = p;
  const seen = Math.max(p.last_seen ?? 0, ...many(expand?.room_presence_via_participant).map((x) => x.last_seen ?? 0));
  return { ...rest, last_seen: seen, version: p.version ?? 0 };
}

const invitationOf = (i: PbInvitation): Invitation => ({ id: i.id, room: i.room, email: i.email, invitedBy: i.invited_by, created: i.created });

export function createPbRoomStore(pb: PocketBase, deps: { newId?: () => string } = {}): RoomStore {
  const newId = deps.newId ?? newRecordId;
  const records = pbRecords(pb);
  const { col, getOne, first, deleteIfExists } = records;
  const room = async (id: string) => {
    const r = await getOne<PbRoom>('rooms', id, ROOM_EXPAND);
    return r ? roomRow(r) : null;
  };
  const participant = async (id: string) => {
    const p = await getOne<PbParticipant>('room_participants', id, PARTICIPANT_EXPAND);
    return p ? participantRow(p) : null;
  };

  const store: RoomStore = {
    newId,

    async createRoom({ owner, name, code }) {
      const id = newId();
      const batch = pb.createBatch();
      batch.collection('rooms').create({ id, owner, name });
      batch.collection('room_codes').create({ id, room: id, code });
      try {
        await batch.send();
      } catch (e) {
        if (isUniqueViolation(e) || clientError(e, 400)) {
          if (await store.roomByCode(code)) return 'code_taken';
        }
        throw e;
      }
      return (await room(id))!;
    },
    room,
    async roomByCode(code) {
      const r = await first<PbRoom>('rooms', pb.filter('room_codes_via_room.code ?= {:code}', { code }), ROOM_EXPAND);
      return r ? roomRow(r) : null;
    },
    async roomsOf(userId) {
      const rows = await col('rooms').getFullList<PbRoom>({
        filter: pb.filter('owner = {:u} || room_coaches_via_room.user ?= {:u}', { u: userId }),
        sort: '-created',
        expand: ROOM_EXPAND,
      });
      return rows.map(roomRow);
    },
    async renameRoom(id, name) {
      if (!isRecordId(id)) return null;
      try {
        const r = await col('rooms').update<PbRoom>(id, { name }, { expand: ROOM_EXPAND });
        return roomRow(r);
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async setJoinCode(id, code) {
      if (!isRecordId(id)) return null;
      try {
        await col('room_codes').update(id, { code });
      } catch (e) {
        if (isNotFound(e)) return null;
        if (isUniqueViolation(e)) return 'code_taken';
        throw e;
      }
      return room(id);
    },
    async setTileSort(id, mode) {
      if (!isRecordId(id)) return null;
      // One record per room with one field and one kind of writer: a whole-record rewrite by
      // another coach at the same moment is just the later choice (last writer wins).
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await col('room_settings').update(id, { tile_sort: mode });
          return room(id);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        try {
          await col('room_settings').create({ id, room: id, tile_sort: mode });
          return room(id);
        } catch (e) {
          // Another coach created it first (unique room): update it on the next turn.
          if (isUniqueViolation(e) || clientError(e, 400)) {
            if (!(await room(id))) return null;
            continue;
          }
          throw e;
        }
      }
      return room(id);
    },
    async deleteRoom(id) {
      await col('rooms').delete(id).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
    },

    async member(id) {
      return getOne<MemberRow>('users', id);
    },
    async members(ids) {
      const valid = ids.filter(isRecordId);
      if (valid.length === 0) return [];
      const filter = valid.map((id, i) => pb.filter(`id = {:id${i}}`, { [`id${i}`]: id })).join(' || ');
      return col('users').getFullList<MemberRow>({ filter, fields: 'id,name,email,verified' });
    },
    async addCoach(roomId, userId) {
      try {
        await col('room_coaches').create({ room: roomId, user: userId });
        return 'ok';
      } catch (e) {
        if (isUniqueViolation(e)) return 'exists';
        throw e;
      }
    },
    async removeCoach(roomId, userId) {
      const row = await first<{ id: string }>('room_coaches', pb.filter('room = {:r} && user = {:u}', { r: roomId, u: userId }));
      return row ? deleteIfExists('room_coaches', row.id) : false;
    },

    async invite(roomId, email, invitedBy) {
      try {
        await col('room_invitations').create({ room: roomId, email, invited_by: invitedBy });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    },
    async invitationsOfRoom(roomId) {
      return (await col('room_invitations').getFullList<PbInvitation>({ filter: pb.filter('room = {:r}', { r: roomId }), sort: 'created' })).map(invitationOf);
    },
    async invitationsFor(email) {
      return (await col('room_invitations').getFullList<PbInvitation>({ filter: pb.filter('email = {:e}', { e: email }), sort: 'created' })).map(invitationOf);
    },
    async invitation(id) {
      const i = await getOne<PbInvitation>('room_invitations', id);
      return i ? invitationOf(i) : null;
    },
    async acceptInvitation(inv, userId) {
      // One batch: the invitation is used once (its delete fails for a second accept) and the
      // co-coach row appears only with it.
      const batch = pb.createBatch();
      batch.collection('room_invitations').delete(inv.id);
      batch.collection('room_coaches').create({ room: inv.room, user: userId });
      try {
        await batch.send();
        return true;
      } catch (e) {
        if (!clientError(e, 400, 404)) throw e;
      }
      // Already a co-coach (unique (room, user)): the invitation is simply used up.
      return store.deleteInvitation(inv.id);
    },
    deleteInvitation: (id) => deleteIfExists('room_invitations', id),

    async createDisplay(input) {
      return col('room_displays').create<DisplayRow>({
        id: input.id,
        room: input.room,
        name: input.name,
        token_hash: input.tokenHash,
        pairing_code_hash: input.pairingCodeHash,
        pairing_expires: input.pairingExpires,
      });
    },
    display: (id) => getOne<DisplayRow>('room_displays', id),
    displayByPairingHash: (hash) => first<DisplayRow>('room_displays', pb.filter('pairing_code_hash = {:hash}', { hash })),
    displaysOf: (roomId) => col('room_displays').getFullList<DisplayRow>({ filter: pb.filter('room = {:roomId}', { roomId }), sort: 'created' }),
    deleteDisplay: (id) => deleteIfExists('room_displays', id),
    claimPairing: (display, tokenHash) => records.claimPairing({ devices: 'room_displays', claims: 'room_display_claims', claimField: 'display' }, display, tokenHash),

    async createParticipant(input) {
      const { deviceId, joinedAt, ...fields } = input;
      try {
        const p = await col('room_participants').create<PbParticipant>({ ...fields, device_id: deviceId, joined_at: joinedAt, last_seen: joinedAt, version: 0 });
        return participantRow(p);
      } catch (e) {
        if (isUniqueViolation(e)) return 'exists';
        throw e;
      }
    },
    participant,
    async participantByDevice(roomId, deviceId) {
      const p = await first<PbParticipant>('room_participants', pb.filter('room = {:roomId} && device_id = {:deviceId}', { roomId, deviceId }), PARTICIPANT_EXPAND);
      return p ? participantRow(p) : null;
    },
    async activeParticipants(roomId) {
      const rows = await col('room_participants').getFullList<PbParticipant>({
        filter: pb.filter('room = {:roomId} && status = "active"', { roomId }),
        sort: 'joined_at',
        expand: PARTICIPANT_EXPAND,
      });
      return rows.map(participantRow);
    },
    async updateParticipant(expected, patch) {
      const version = expected.version + 1;
      const batch = pb.createBatch();
      batch.collection('room_participant_versions').create({ participant: expected.id, version });
      batch.collection('room_participants').update(expected.id, { ...patch, version });
      try {
        await batch.send();
      } catch (e) {
        if (!clientError(e, 400, 404)) throw e;
        return (await participant(expected.id)) ? 'lost' : null;
      }
      return participant(expected.id);
    },
    async touchParticipant(id, at) {
      await store.touchParticipants([{ id, at }]);
    },
    async touchParticipants(entries) {
      const rows = entries.filter((e) => isRecordId(e.id));
      // One request, one SQL statement, per PRESENCE_BATCH rows: the route in
      // pb_hooks/room_presence.pb.js (why not the batch API: its comment, issue 14). It writes
      // the rows whose participant exists, creating or updating each, and skips the others.
      for (let i = 0; i < rows.length; i += PRESENCE_BATCH) {
        await pb.send(HRM_ROUTES.roomPresence, { method: 'POST', body: { rows: rows.slice(i, i + PRESENCE_BATCH) }, requestKey: null });
      }
    },
  };
  return store;
}
