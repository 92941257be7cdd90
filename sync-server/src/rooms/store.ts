import type { ParticipantView, TileSortMode } from '../../../core/rooms';

/**
 * Class-mode records behind one small interface, with a PocketBase implementation
 * (pb-room-store.ts) and an in-memory one (memory-room-store.ts); room-store.contract.ts holds
 * what both promise.
 *
 * No record here is read-modify-written by two writers (PocketBase rewrites every column on an
 * update): the name (rename) and the join code (rotate) are separate records; co-coaches are
 * one row each; a pairing code is claimed once under a unique index; participant changes are
 * compare-and-set on `version` (a unique (participant, version) ledger row in the same batch);
 * the screens' tile order is its own settings record (one writer: set-tile-sort, last one wins);
 * last_seen (the live hub) lives in its own presence record.
 */
export interface RoomRow {
  id: string;
  owner: string;
  name: string;
  join_code: string;
  /** Co-coaches' user ids (not the owner). */
  coaches: string[];
  /** The order of the tiles on every screen of the room, chosen by a coach ('name' until set). */
  tile_sort: TileSortMode;
  created: string;
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

export type ParticipantStatus = 'active' | 'left' | 'removed';

export interface ParticipantFields {
  name: string;
  age: number;
  sex: string;
  weight_kg: number;
  max_hr: number;
  resting_hr: number;
  /** Left out of rankings on screens. */
  unranked: boolean;
  user: string;
  token_hash: string;
  status: ParticipantStatus;
}

export interface ParticipantRow extends ParticipantFields {
  id: string;
  room: string;
  device_id: string;
  joined_at: number;
  /** Latest presence (join, rejoin, live heart rate), 0 when never seen. */
  last_seen: number;
  /** Compare-and-set version: every update names the version it was built on. */
  version: number;
}

export interface Invitation {
  id: string;
  room: string;
  email: string;
  invitedBy: string;
  created: string;
}

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  verified: boolean;
}

export interface RoomStore {
  /** A fresh record id (15 lower-case letters and digits, as PocketBase's). */
  newId(): string;

  /** `code_taken` when another room has the code (codes are unique). */
  createRoom(input: { owner: string; name: string; code: string }): Promise<RoomRow | 'code_taken'>;
  room(id: string): Promise<RoomRow | null>;
  roomByCode(code: string): Promise<RoomRow | null>;
  /** Rooms the user owns or co-coaches, newest first. */
  roomsOf(userId: string): Promise<RoomRow[]>;
  /** Writes only the name; null when the room is gone. */
  renameRoom(id: string, name: string): Promise<RoomRow | null>;
  /** Writes only the join code; null when the room is gone. */
  setJoinCode(id: string, code: string): Promise<RoomRow | null | 'code_taken'>;
  /** Writes only the screens' tile order (its own record); null when the room is gone. */
  setTileSort(id: string, mode: TileSortMode): Promise<RoomRow | null>;
  deleteRoom(id: string): Promise<void>;

  member(id: string): Promise<MemberRow | null>;
  members(ids: string[]): Promise<MemberRow[]>;
  /** `exists` when already a co-coach. */
  addCoach(roomId: string, userId: string): Promise<'ok' | 'exists'>;
  /** False when the user was not a co-coach. */
  removeCoach(roomId: string, userId: string): Promise<boolean>;

  /** Creates or keeps (same room and email) a pending invitation. */
  invite(roomId: string, email: string, invitedBy: string): Promise<void>;
  invitationsOfRoom(roomId: string): Promise<Invitation[]>;
  invitationsFor(email: string): Promise<Invitation[]>;
  invitation(id: string): Promise<Invitation | null>;
  /** Adds the co-coach and deletes the invitation in one step; false when it was gone. */
  acceptInvitation(invitation: Invitation, userId: string): Promise<boolean>;
  deleteInvitation(id: string): Promise<boolean>;

  createDisplay(input: { id: string; room: string; name: string; tokenHash: string; pairingCodeHash: string; pairingExpires: number }): Promise<DisplayRow>;
  display(id: string): Promise<DisplayRow | null>;
  displayByPairingHash(hash: string): Promise<DisplayRow | null>;
  displaysOf(roomId: string): Promise<DisplayRow[]>;
  deleteDisplay(id: string): Promise<boolean>;
  /** Uses the display's pairing code once: stores the new token; false when someone else did first. */
  claimPairing(display: DisplayRow, tokenHash: string): Promise<boolean>;

  /** `exists` when the device already has a participant in this room (unique (room, device)). */
  createParticipant(input: { id: string; room: string; deviceId: string; joinedAt: number } & ParticipantFields): Promise<ParticipantRow | 'exists'>;
  participant(id: string): Promise<ParticipantRow | null>;
  participantByDevice(roomId: string, deviceId: string): Promise<ParticipantRow | null>;
  activeParticipants(roomId: string): Promise<ParticipantRow[]>;
  /**
   * Compare-and-set: applies `patch` only if the row is still at `expected.version`; `lost` when
   * another writer changed it first (re-read and decide again), null when it is gone.
   */
  updateParticipant(expected: ParticipantRow, patch: Partial<ParticipantFields>): Promise<ParticipantRow | 'lost' | null>;
  /** Presence only (its own record): never undoes a concurrent status change. */
  touchParticipant(participantId: string, at: number): Promise<void>;
  /** Many presence writes at once (one request to PocketBase): the live hub's, about once a second. */
  touchParticipants(entries: ReadonlyArray<{ id: string; at: number }>): Promise<void>;
}

/** PocketBase stores "no number" as 0 and "no text" as "". */
export function participantView(r: ParticipantRow): ParticipantView {
  return {
    id: r.id,
    name: r.name,
    age: r.age || null,
    sex: r.sex === 'male' || r.sex === 'female' ? r.sex : null,
    weightKg: r.weight_kg || null,
    maxHr: r.max_hr || null,
    restingHr: r.resting_hr || null,
    ranked: !r.unranked,
    member: Boolean(r.user),
    joinedAt: r.joined_at,
  };
}

export const isRecordId = (id: string) => /^[a-z0-9]{15}$/.test(id);
