import type { TileSortMode } from '../../../core/rooms';
import { type DisplayRow, type Invitation, type MemberRow, type ParticipantRow, type RoomRow, type RoomStore } from './store';

type Room = { id: string; owner: string; name: string; created: string };

/**
 * RoomStore in memory, for unit tests of the service and the hub. Every method copies in and
 * out, so callers never hold a live reference (as with PocketBase). `addMember` stands in for
 * the users collection.
 */
export function createMemoryRoomStore(deps: { now?: () => number; newId?: () => string } = {}) {
  const now = deps.now ?? Date.now;
  let seq = 0;
  const newId = deps.newId ?? (() => `m${(++seq).toString(36).padStart(14, '0')}`);
  const stamp = () => new Date(now()).toISOString();
  const rooms = new Map<string, Room>();
  const codes = new Map<string, string>(); // room -> code
  const coaches = new Map<string, Set<string>>(); // room -> users
  const sorts = new Map<string, TileSortMode>(); // room -> tile order on its screens
  const invitations = new Map<string, Invitation>();
  const displays = new Map<string, DisplayRow>();
  const claims = new Set<string>();
  const participants = new Map<string, Omit<ParticipantRow, 'last_seen'> & { last_seen: number }>();
  const presence = new Map<string, number>();
  const members = new Map<string, MemberRow>();

  const roomRow = (r: Room): RoomRow => ({ ...r, join_code: codes.get(r.id)!, coaches: [...(coaches.get(r.id) ?? [])], tile_sort: sorts.get(r.id) ?? 'name' });
  const codeTaken = (code: string, except?: string) => [...codes].some(([room, c]) => c === code && room !== except);
  const partRow = (p: ParticipantRow): ParticipantRow => ({ ...p, last_seen: Math.max(p.last_seen, presence.get(p.id) ?? 0) });

  const store: RoomStore & { addMember(m: MemberRow): void } = {
    newId,
    addMember: (m) => void members.set(m.id, { ...m }),

    async createRoom({ owner, name, code }) {
      if (codeTaken(code)) return 'code_taken';
      const r = { id: newId(), owner, name, created: stamp() };
      rooms.set(r.id, r);
      codes.set(r.id, code);
      return roomRow(r);
    },
    async room(id) {
      const r = rooms.get(id);
      return r ? roomRow(r) : null;
    },
    async roomByCode(code) {
      const id = [...codes].find(([, c]) => c === code)?.[0];
      return id ? store.room(id) : null;
    },
    async roomsOf(userId) {
      return [...rooms.values()]
        .filter((r) => r.owner === userId || coaches.get(r.id)?.has(userId))
        .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))
        .map(roomRow);
    },
    async renameRoom(id, name) {
      const r = rooms.get(id);
      if (!r) return null;
      r.name = name;
      return roomRow(r);
    },
    async setJoinCode(id, code) {
      const r = rooms.get(id);
      if (!r) return null;
      if (codeTaken(code, id)) return 'code_taken';
      codes.set(id, code);
      return roomRow(r);
    },
    async setTileSort(id, mode) {
      const r = rooms.get(id);
      if (!r) return null;
      sorts.set(id, mode);
      return roomRow(r);
    },
    async deleteRoom(id) {
      rooms.delete(id);
      codes.delete(id);
      sorts.delete(id);
      coaches.delete(id);
      for (const [k, i] of invitations) if (i.room === id) invitations.delete(k);
      for (const [k, d] of displays) if (d.room === id) displays.delete(k);
      for (const [k, p] of participants) if (p.room === id) participants.delete(k);
    },

    async member(id) {
      const m = members.get(id);
      return m ? { ...m } : null;
    },
    async members(ids) {
      return ids.flatMap((id) => (members.has(id) ? [{ ...members.get(id)! }] : []));
    },
    async addCoach(roomId, userId) {
      if (!rooms.has(roomId)) throw new Error('no such room');
      const set = coaches.get(roomId) ?? new Set();
      coaches.set(roomId, set);
      if (set.has(userId)) return 'exists';
      set.add(userId);
      return 'ok';
    },
    async removeCoach(roomId, userId) {
      return coaches.get(roomId)?.delete(userId) ?? false;
    },

    async invite(roomId, email, invitedBy) {
      if ([...invitations.values()].some((i) => i.room === roomId && i.email === email)) return;
      const inv = { id: newId(), room: roomId, email, invitedBy, created: stamp() };
      invitations.set(inv.id, inv);
    },
    async invitationsOfRoom(roomId) {
      return [...invitations.values()].filter((i) => i.room === roomId).map((i) => ({ ...i }));
    },
    async invitationsFor(email) {
      return [...invitations.values()].filter((i) => i.email === email).map((i) => ({ ...i }));
    },
    async invitation(id) {
      const i = invitations.get(id);
      return i ? { ...i } : null;
    },
    async acceptInvitation(inv, userId) {
      if (!invitations.delete(inv.id)) return false;
      if (rooms.has(inv.room)) await store.addCoach(inv.room, userId);
      return true;
    },
    async deleteInvitation(id) {
      return invitations.delete(id);
    },

    async createDisplay(input) {
      const d: DisplayRow = {
        id: input.id,
        room: input.room,
        name: input.name,
        token_hash: input.tokenHash,
        pairing_code_hash: input.pairingCodeHash,
        pairing_expires: input.pairingExpires,
        created: stamp(),
      };
      displays.set(d.id, d);
      return { ...d };
    },
    async display(id) {
      const d = displays.get(id);
      return d ? { ...d } : null;
    },
    async displayByPairingHash(hash) {
      const d = [...displays.values()].find((x) => x.pairing_code_hash === hash);
      return d ? { ...d } : null;
    },
    async displaysOf(roomId) {
      return [...displays.values()].filter((d) => d.room === roomId).map((d) => ({ ...d }));
    },
    async deleteDisplay(id) {
      return displays.delete(id);
    },
    async claimPairing(display, tokenHash) {
      const d = displays.get(display.id);
      if (!d || !display.pairing_code_hash || claims.has(display.pairing_code_hash)) return false;
      claims.add(display.pairing_code_hash);
      Object.assign(d, { token_hash: tokenHash, pairing_code_hash: '', pairing_expires: 0 });
      return true;
    },

    async createParticipant(input) {
      if (!rooms.has(input.room)) throw new Error('no such room');
      if ([...participants.values()].some((p) => p.room === input.room && p.device_id === input.deviceId)) return 'exists';
      const { deviceId, joinedAt, ...fields } = input;
      const p: ParticipantRow = { ...fields, device_id: deviceId, joined_at: joinedAt, last_seen: joinedAt, version: 0 };
      participants.set(p.id, p);
      return partRow(p);
    },
    async participant(id) {
      const p = participants.get(id);
      return p ? partRow(p) : null;
    },
    async participantByDevice(roomId, deviceId) {
      const p = [...participants.values()].find((x) => x.room === roomId && x.device_id === deviceId);
      return p ? partRow(p) : null;
    },
    async activeParticipants(roomId) {
      return [...participants.values()].filter((p) => p.room === roomId && p.status === 'active').sort((a, b) => a.joined_at - b.joined_at).map(partRow);
    },
    async updateParticipant(expected, patch) {
      const p = participants.get(expected.id);
      if (!p) return null;
      if (p.version !== expected.version) return 'lost';
      Object.assign(p, patch, { version: p.version + 1 });
      return partRow(p);
    },
    async touchParticipant(id, at) {
      if (participants.has(id)) presence.set(id, at);
    },
    async touchParticipants(entries) {
      for (const e of entries) await store.touchParticipant(e.id, e.at);
    },
  };
  return store;
}

export type MemoryRoomStore = ReturnType<typeof createMemoryRoomStore>;
