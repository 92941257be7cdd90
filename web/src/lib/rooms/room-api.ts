/**
 * Class-mode calls of /api/v1/rooms (sync-server/src/routes/rooms.ts), over the app's one HTTP
 * client: every answer is validated here and comes back as an ApiResult; nothing throws.
 */
import {
  CoCoachInvitedSchema,
  CreatedDisplaySchema,
  JoinedSchema,
  MyInvitationsSchema,
  PairedSchema,
  RoomDetailSchema,
  RoomDisplaysResponseSchema,
  RoomInvitationsResponseSchema,
  RoomMusicResponseSchema,
  RoomOkSchema,
  RoomOnlySchema,
  RoomParticipantsResponseSchema,
  RoomReportSchema,
  ResultPostedSchema,
  ClaimedResultSchema,
  RoomsResponseSchema,
  RoomVolumeReplySchema,
  RoomWithTimerSchema,
  TimerReplySchema,
  type CoachRoom,
  type CreateRoomBody,
  type CreatedDisplay,
  type Joined,
  type MyInvitation,
  type MyInvitations,
  type Paired,
  type RoomDisplay,
  type RoomInvitation,
  type RoomReport,
  type ClaimedResult,
  type TimerBody,
} from '$core/api';
import type { ClassResult, JoinInput, MusicCommand, ParticipantView, RoomMusic, TileSortMode, TimerCommandName } from '$core/rooms';
import type { TimerState } from '$core/workout';
import type { ApiResult, HttpClient } from '$lib/api';

// The shapes are the REST contract's (core/api/rooms.ts), shared with the server's routes.
export type { ClaimedResult, CoachRoom, CreatedDisplay, Joined, MyInvitation, MyInvitations, Paired, RoomDisplay, RoomInvitation, RoomReport };

export type { JoinInput };

export interface RoomApi {
  list(signal?: AbortSignal): Promise<ApiResult<CoachRoom[]>>;
  create(input: CreateRoomBody, signal?: AbortSignal): Promise<ApiResult<{ room: CoachRoom; timer: TimerState }>>;
  get(roomId: string, signal?: AbortSignal): Promise<ApiResult<{ room: CoachRoom; timer: TimerState; serverTime: number }>>;
  remove(roomId: string): Promise<ApiResult<void>>;
  rotateCode(roomId: string): Promise<ApiResult<CoachRoom>>;
  /** How every screen of the room orders its tiles (coaches only; sent live to the screens). */
  setTileSort(roomId: string, mode: TileSortMode): Promise<ApiResult<CoachRoom>>;
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
  timer(roomId: string, command: TimerCommandName, options?: Omit<TimerBody, 'command'>): Promise<ApiResult<{ state: TimerState; serverTime: number }>>;
  join(input: JoinInput, signal?: AbortSignal): Promise<ApiResult<Joined>>;
  leave(roomId: string, participantToken: string): Promise<ApiResult<void>>;
  /** The participant's result of a class run (their phone posts it when the run ends). */
  /** `recordedOnPhone`: this phone recorded the run as a workout (a hub's copy then goes). */
  postResult(roomId: string, participantToken: string, result: ClassResult, recordedOnPhone?: boolean): Promise<ApiResult<{ claimToken: string | null }>>;
  /** Attaches a guest's class result (its claim link's token) to the signed-in member. */
  claimResult(token: string): Promise<ApiResult<ClaimedResult>>;
  /** Coaches: the room's latest classes with each participant's result. */
  report(roomId: string, signal?: AbortSignal): Promise<ApiResult<RoomReport>>;
  /** Where the report's CSV downloads from (same origin, session cookie). */
  reportCsvUrl(roomId: string): string;
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
      const r = await http.request('/rooms', { signal, schema: RoomsResponseSchema });
      return r.ok ? { ok: true, value: r.value.rooms } : r;
    },
    create: (input, signal) => http.request('/rooms', { method: 'POST', body: input, signal, schema: RoomWithTimerSchema }),
    get: (roomId, signal) => http.request(room(roomId), { signal, schema: RoomDetailSchema }),
    remove: (roomId) => http.request(room(roomId), { method: 'DELETE' }),
    rotateCode: (roomId) => roomOnly(`${room(roomId)}/join-code`, 'POST'),
    setTileSort: async (roomId, mode) => {
      const r = await http.request(`${room(roomId)}/tile-sort`, { method: 'PUT', body: { mode }, schema: RoomOnlySchema });
      return r.ok ? { ok: true, value: r.value.room } : r;
    },
    inviteCoCoach: async (roomId, email) => {
      const r = await http.request(`${room(roomId)}/co-coaches`, { method: 'POST', body: { email }, schema: CoCoachInvitedSchema });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    listInvitations: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/invitations`, { signal, schema: RoomInvitationsResponseSchema });
      return r.ok ? { ok: true, value: r.value.invitations } : r;
    },
    withdrawInvitation: (roomId, invitationId) => http.request(`${room(roomId)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),
    myInvitations: (signal) => http.request('/rooms/invitations', { signal, schema: MyInvitationsSchema }),
    acceptInvitation: (invitationId) => roomOnly(`/rooms/invitations/${encodeURIComponent(invitationId)}/accept`, 'POST'),
    declineInvitation: (invitationId) => http.request(`/rooms/invitations/${encodeURIComponent(invitationId)}/decline`, { method: 'POST' }),
    removeCoCoach: (roomId, userId) => roomOnly(`${room(roomId)}/co-coaches/${encodeURIComponent(userId)}`, 'DELETE'),
    listDisplays: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/displays`, { signal, schema: RoomDisplaysResponseSchema });
      return r.ok ? { ok: true, value: r.value.displays } : r;
    },
    createDisplay: (roomId, name) => http.request(`${room(roomId)}/displays`, { method: 'POST', body: { name }, schema: CreatedDisplaySchema }),
    revokeDisplay: (roomId, displayId) => http.request(`${room(roomId)}/displays/${encodeURIComponent(displayId)}`, { method: 'DELETE' }),
    listParticipants: async (roomId, signal) => {
      const r = await http.request(`${room(roomId)}/participants`, { signal, schema: RoomParticipantsResponseSchema });
      return r.ok ? { ok: true, value: r.value.participants } : r;
    },
    removeParticipant: (roomId, participantId) => http.request(`${room(roomId)}/participants/${encodeURIComponent(participantId)}`, { method: 'DELETE' }),
    timer: (roomId, command, options = {}) =>
      http.request(`${room(roomId)}/timer`, { method: 'POST', body: { command, ...options }, schema: TimerReplySchema }),
    join: (input, signal) => http.request('/rooms/join', { method: 'POST', body: input, signal, schema: JoinedSchema }),
    leave: (roomId, participantToken) =>
      http.request(`${room(roomId)}/leave`, { method: 'POST', headers: { Authorization: `Bearer ${participantToken}` } }),
    postResult: (roomId, participantToken, result, recordedOnPhone) =>
      http.request(`${room(roomId)}/results`, { method: 'POST', body: recordedOnPhone ? { ...result, recordedOnPhone } : result, headers: { Authorization: `Bearer ${participantToken}` }, schema: ResultPostedSchema }),
    claimResult: (token) => http.request('/rooms/results/claim', { method: 'POST', body: { token }, schema: ClaimedResultSchema }),
    report: (roomId, signal) => http.request(`${room(roomId)}/report`, { signal, schema: RoomReportSchema }),
    reportCsvUrl: (roomId) => `/api/v1${room(roomId)}/report.csv`,
    pair: (code, signal) => http.request('/rooms/pair', { method: 'POST', body: { code }, signal, schema: PairedSchema }),
    music: (roomId, { displayToken, signal } = {}) =>
      http.request(`${room(roomId)}/music`, {
        signal,
        schema: RoomMusicResponseSchema,
        ...(displayToken ? { headers: { Authorization: `Bearer ${displayToken}` } } : {}),
      }),
    musicCommand: async (roomId, command) => {
      const r = await http.request(`${room(roomId)}/music/${command}`, { method: 'POST', schema: RoomOkSchema });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    musicVolume: async (roomId, percent) => {
      const r = await http.request(`${room(roomId)}/music/volume`, { method: 'PUT', body: { percent }, schema: RoomVolumeReplySchema });
      return r.ok ? { ok: true, value: undefined } : r;
    },
  };
}
