/**
 * Class-mode calls of /api/v1/rooms (sync-server/src/routes/rooms.ts), over the app's one HTTP
 * client: every answer is validated here and comes back as an ApiResult; nothing throws.
 */
import { z } from 'zod';
import {
  ParticipantViewSchema,
  RoomMusicSchema,
  type JoinInput,
  type MusicCommand,
  type ParticipantView,
  type RoomMusic,
  type TimerCommandName,
} from '$core/rooms';
import { TimerStateSchema, type Plan, type TimerState } from '$core/workout';
import type { ApiResult, HttpClient } from '$lib/api';

const CoachRoomSchema = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  ownerId: z.string(),
  isOwner: z.boolean(),
  coCoaches: z.array(z.object({ id: z.string(), name: z.string() })),
  created: z.string(),
});
export type CoachRoom = z.infer<typeof CoachRoomSchema>;

const DisplaySchema = z.object({ id: z.string(), name: z.string(), created: z.string(), pairingPending: z.boolean() });
export type RoomDisplay = z.infer<typeof DisplaySchema>;

const CreatedDisplaySchema = z.object({
  display: DisplaySchema,
  token: z.string(),
  pairingCode: z.string(),
  pairingExpiresAt: z.number(),
  linkPath: z.string(),
});
export type CreatedDisplay = z.infer<typeof CreatedDisplaySchema>;

const JoinedSchema = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  participant: ParticipantViewSchema,
  token: z.string(),
});
export type Joined = z.infer<typeof JoinedSchema>;

const PairedSchema = z.object({ roomId: z.string(), displayId: z.string(), token: z.string() });
export type Paired = z.infer<typeof PairedSchema>;

/** A pending co-coach invitation as the room's owner sees it (the address they typed). */
const RoomInvitationSchema = z.object({ id: z.string(), email: z.string(), created: z.string() });
export type RoomInvitation = z.infer<typeof RoomInvitationSchema>;

/** An invitation to the signed-in member's own address. */
const MyInvitationSchema = z.object({ id: z.string(), room: z.object({ id: z.string(), name: z.string() }), invitedBy: z.string(), created: z.string() });
export type MyInvitation = z.infer<typeof MyInvitationSchema>;
const MyInvitationsSchema = z.object({ emailVerified: z.boolean(), invitations: z.array(MyInvitationSchema) });
export type MyInvitations = z.infer<typeof MyInvitationsSchema>;

const RoomWithTimerSchema = z.object({ room: CoachRoomSchema, timer: TimerStateSchema });
const RoomDetailSchema = RoomWithTimerSchema.extend({ serverTime: z.number() });
const RoomOnlySchema = z.object({ room: CoachRoomSchema });
const TimerReplySchema = z.object({ state: TimerStateSchema, serverTime: z.number() });
const OkSchema = z.object({ ok: z.literal(true) });

export type { JoinInput };

export interface RoomApi {
  list(signal?: AbortSignal): Promise<ApiResult<CoachRoom[]>>;
  create(input: { name: string; plan: Plan }, signal?: AbortSignal): Promise<ApiResult<{ room: CoachRoom; timer: TimerState }>>;
  get(roomId: string, signal?: AbortSignal): Promise<ApiResult<{ room: CoachRoom; timer: TimerState; serverTime: number }>>;
  remove(roomId: string): Promise<ApiResult<void>>;
  rotateCode(roomId: string): Promise<ApiResult<CoachRoom>>;
  /** Invites by email; the answer is the same whether or not the address has an account. */
  inviteCoCoach(roomId: string, email: string): Promise<ApiResult<void>>;
  listInvitations(roomId: string, signal?: AbortSignal): Promise<ApiResult<RoomInvitation[]>>;
  withdrawInvitation(roomId: string, invitationId: string): Promise<ApiResult<void>>;
  /** Invitations to the signed-in member (empty until their email address is confirmed). */
  myInvitations(signal?: AbortSignal): Promise<ApiResult<MyInvitations>>;
  acceptInvitation(invitationId: string): Promise<ApiResult<CoachRoom>>;
  declineInvitation(invitationId: string): Promise<ApiResult<void>>;
  removeCoCoach(roomId: string, userId: string): Promise<ApiResult<CoachRoom>>;
  listDisplays(roomId: string, signal?: AbortSignal): Promise<ApiResult<RoomDisplay[]>>;
  createDisplay(roomId: string, name: string): Promise<ApiResult<CreatedDisplay>>;
  revokeDisplay(roomId: string, displayId: string): Promise<ApiResult<void>>;
  listParticipants(roomId: string, signal?: AbortSignal): Promise<ApiResult<ParticipantView[]>>;
  removeParticipant(roomId: string, participantId: string): Promise<ApiResult<void>>;
  /** A rejected command (409) is an error whose code is `conflict` or `timer_rejected`. */
  timer(roomId: string, command: TimerCommandName, options?: { plan?: Plan; ifRevision?: number }): Promise<ApiResult<{ state: TimerState; serverTime: number }>>;
  join(input: JoinInput, signal?: AbortSignal): Promise<ApiResult<Joined>>;
  leave(roomId: string, participantToken: string): Promise<ApiResult<void>>;
  pair(code: string, signal?: AbortSignal): Promise<ApiResult<Paired>>;
  /**
   * The room's music (the owner's Spotify), for a coach (session cookie) or, with its token, a
   * display. Not connected or not set up: an error with the server's `spotify_*` code.
   */
  music(roomId: string, options?: { displayToken?: string; signal?: AbortSignal }): Promise<ApiResult<RoomMusic>>;
  /** Coaches only: acts on the owner's Spotify. */
  musicCommand(roomId: string, command: MusicCommand): Promise<ApiResult<void>>;
  musicVolume(roomId: string, percent: number): Promise<ApiResult<void>>;
}

const room = (id: string) => `/rooms/${encodeURIComponent(id)}`;

export function createRoomApi(http: HttpClient): RoomApi {
  const roomOnly = async (path: string, method: 'POST' | 'DELETE', body?: unknown): Promise<ApiResult<CoachRoom>> => {
    const r = await http.request(path, { method, body, schema: RoomOnlySchema });
    return r.ok ? { ok: true, value: r.value.room } : r;
  };
  return {
    list: async (signal) => {
      const r = await http.request('/rooms', { signal, schema: z.object({ rooms: z.array(CoachRoomSchema) }) });
      return r.ok ? { ok: true, value: r.value.rooms } : r;
    },
    create: (input, signal) => http.request('/rooms', { method: 'POST', body: input, signal, schema: RoomWithTimerSchema }),
    get: (roomId, signal) => http.request(room(roomId), { signal, schema: RoomDetailSchema }),
    remove: (roomId) => http.request(room(roomId), { method: 'DELETE' }),
    rotateCode: (roomId) => roomOnly(`${room(roomId)}/join-code`, 'POST'),
    inviteCoCoach: async (roomId, email) => {
      const r = await http.request(`${room(roomId)}/co-coaches`, { method: 'POST', body: { email }, schema: z.object({ status: z.literal('invited') }) });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    listInvitations: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/invitations`, { signal, schema: z.object({ invitations: z.array(RoomInvitationSchema) }) });
      return r.ok ? { ok: true, value: r.value.invitations } : r;
    },
    withdrawInvitation: (roomId, invitationId) => http.request(`${room(roomId)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),
    myInvitations: (signal) => http.request('/rooms/invitations', { signal, schema: MyInvitationsSchema }),
    acceptInvitation: (invitationId) => roomOnly(`/rooms/invitations/${encodeURIComponent(invitationId)}/accept`, 'POST'),
    declineInvitation: (invitationId) => http.request(`/rooms/invitations/${encodeURIComponent(invitationId)}/decline`, { method: 'POST' }),
    removeCoCoach: (roomId, userId) => roomOnly(`${room(roomId)}/co-coaches/${encodeURIComponent(userId)}`, 'DELETE'),
    listDisplays: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/displays`, { signal, schema: z.object({ displays: z.array(DisplaySchema) }) });
      return r.ok ? { ok: true, value: r.value.displays } : r;
    },
    createDisplay: (roomId, name) => http.request(`${room(roomId)}/displays`, { method: 'POST', body: { name }, schema: CreatedDisplaySchema }),
    revokeDisplay: (roomId, displayId) => http.request(`${room(roomId)}/displays/${encodeURIComponent(displayId)}`, { method: 'DELETE' }),
    listParticipants: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/participants`, { signal, schema: z.object({ participants: z.array(ParticipantViewSchema) }) });
      return r.ok ? { ok: true, value: r.value.participants } : r;
    },
    removeParticipant: (roomId, participantId) => http.request(`${room(roomId)}/participants/${encodeURIComponent(participantId)}`, { method: 'DELETE' }),
    timer: (roomId, command, options = {}) =>
      http.request(`${room(roomId)}/timer`, { method: 'POST', body: { command, ...options }, schema: TimerReplySchema }),
    join: (input, signal) => http.request('/rooms/join', { method: 'POST', body: input, signal, schema: JoinedSchema }),
    leave: (roomId, participantToken) =>
      http.request(`${room(roomId)}/leave`, { method: 'POST', headers: { Authorization: `Bearer ${participantToken}` } }),
    pair: (code, signal) => http.request('/rooms/pair', { method: 'POST', body: { code }, signal, schema: PairedSchema }),
    music: (roomId, { displayToken, signal } = {}) =>
      http.request(`${room(roomId)}/music`, {
        signal,
        schema: RoomMusicSchema,
        ...(displayToken ? { headers: { Authorization: `Bearer ${displayToken}` } } : {}),
      }),
    musicCommand: async (roomId, command) => {
      const r = await http.request(`${room(roomId)}/music/${command}`, { method: 'POST', schema: OkSchema });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    musicVolume: async (roomId, percent) => {
      const r = await http.request(`${room(roomId)}/music/volume`, { method: 'PUT', body: { percent }, schema: OkSchema.extend({ volume: z.number() }) });
      return r.ok ? { ok: true, value: undefined } : r;
    },
  };
}
