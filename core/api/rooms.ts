/**
 * /api/v1/rooms (class mode): request bodies as the server validates them
 * (sync-server/src/routes/rooms.ts) and the answers the PWA checks
 * (web/src/lib/rooms/room-api.ts). The live socket's messages are core/rooms/wire.ts.
 */
import { z } from 'zod';
import { ClassResultSchema, DISPLAY_LINK_STATES, JoinRequestSchema, MUSIC_COMMANDS, ParticipantViewSchema, TILE_SORT_MODES, TIMER_COMMANDS, type TileSortMode } from '../rooms';
import { PlanSchema, TimerStateSchema } from '../workout';
import { RecordIdSchema } from './auth';

const name = z.string().trim().min(1).max(100);
const code = z.string().trim().min(1).max(20);

/** :id, :userId, :displayId, :participantId, :invitationId (an unknown one is a 404). */
export const RoomRecordIdSchema = RecordIdSchema;
export const CreateRoomBodySchema = z.strictObject({ name, plan: PlanSchema });
export const RenameRoomBodySchema = z.strictObject({ name });
export const CoCoachBodySchema = z.strictObject({ email: z.email().max(254).transform((e) => e.trim().toLowerCase()) });
export const CreateDisplayBodySchema = z.strictObject({ name: z.string().trim().max(100).optional() });
export const PairBodySchema = z.strictObject({ code });
export const JoinBodySchema = JoinRequestSchema;
/** POST /:id/timer: a plan goes with `change-plan`, and only with it. */
export const TimerBodySchema = z
  .strictObject({ command: z.enum(TIMER_COMMANDS), plan: PlanSchema.optional(), ifRevision: z.number().int().min(0).optional() })
  .refine((b) => (b.command === 'change-plan') === (b.plan !== undefined), { message: 'plan goes with change-plan only', path: ['plan'] });
export const RoomMusicCommandSchema = z.enum(MUSIC_COMMANDS);
const tileSort = z.enum(TILE_SORT_MODES as [TileSortMode, ...TileSortMode[]]);
/** PUT /:id/tile-sort: how every screen of the room orders its tiles (core/rooms/tile-order.ts). */
export const TileSortBodySchema = z.strictObject({ mode: tileSort });
export const RoomVolumeBodySchema = z.strictObject({ percent: z.number().int().min(0).max(100) });
export type CreateRoomBody = z.input<typeof CreateRoomBodySchema>;
export type TimerBody = z.input<typeof TimerBodySchema>;

export const CoachRoomSchema = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  ownerId: z.string(),
  isOwner: z.boolean(),
  coCoaches: z.array(z.object({ id: z.string(), name: z.string() })),
  tileSort,
  created: z.string(),
});
export type CoachRoom = z.infer<typeof CoachRoomSchema>;

/** `state`: the screen's live link as the server sees it (core/rooms/display-link.ts). */
export const RoomDisplaySchema = z.object({ id: z.string(), name: z.string(), created: z.string(), pairingPending: z.boolean(), state: z.enum(DISPLAY_LINK_STATES) });
export type RoomDisplay = z.infer<typeof RoomDisplaySchema>;

export const CreatedDisplaySchema = z.object({
  display: RoomDisplaySchema,
  token: z.string(),
  pairingCode: z.string(),
  pairingExpiresAt: z.number(),
  linkPath: z.string(),
});
export type CreatedDisplay = z.infer<typeof CreatedDisplaySchema>;

export const JoinedSchema = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  participant: ParticipantViewSchema,
  token: z.string(),
});
export type Joined = z.infer<typeof JoinedSchema>;

export const PairedSchema = z.object({ roomId: z.string(), displayId: z.string(), token: z.string() });
export type Paired = z.infer<typeof PairedSchema>;

/** A pending co-coach invitation as the room's owner sees it (the address they typed). */
export const RoomInvitationSchema = z.object({ id: z.string(), email: z.string(), created: z.string() });
export type RoomInvitation = z.infer<typeof RoomInvitationSchema>;
export const RoomInvitationsResponseSchema = z.object({ invitations: z.array(RoomInvitationSchema) });

/** An invitation to the signed-in member's own address. */
export const MyInvitationSchema = z.object({ id: z.string(), room: z.object({ id: z.string(), name: z.string() }), invitedBy: z.string(), created: z.string() });
export type MyInvitation = z.infer<typeof MyInvitationSchema>;
/** GET /rooms/invitations: empty (emailVerified false) until the member's address is confirmed. */
export const MyInvitationsSchema = z.object({ emailVerified: z.boolean(), invitations: z.array(MyInvitationSchema) });
export type MyInvitations = z.infer<typeof MyInvitationsSchema>;

/** 202 of POST /:id/co-coaches: the same answer whether or not the address has an account. */
export const CoCoachInvitedSchema = z.object({ status: z.literal('invited') });

export const RoomsResponseSchema = z.object({ rooms: z.array(CoachRoomSchema) });
export const RoomWithTimerSchema = z.object({ room: CoachRoomSchema, timer: TimerStateSchema });
export const RoomDetailSchema = RoomWithTimerSchema.extend({ serverTime: z.number() });
export const RoomOnlySchema = z.object({ room: CoachRoomSchema });
export const RoomDisplaysResponseSchema = z.object({ displays: z.array(RoomDisplaySchema) });
export const RoomParticipantsResponseSchema = z.object({ participants: z.array(ParticipantViewSchema) });
/** GET /:id/timer and the 200 of POST /:id/timer. */
export const TimerReplySchema = z.object({ state: TimerStateSchema, serverTime: z.number() });
/**
 * A refused timer command (409, code `conflict` or `timer_rejected`): the error envelope plus the
 * current state to re-render from; `reason` is the timer's own rejection (or `conflict`).
 */
export const TimerRefusedSchema = z.object({
  error: z.object({ code: z.enum(['conflict', 'timer_rejected']), reason: z.string(), message: z.string(), requestId: z.string().nullable().optional() }),
  state: TimerStateSchema,
  serverTime: z.number(),
});
export const RoomOkSchema = z.object({ ok: z.literal(true) });
export const RoomVolumeReplySchema = RoomOkSchema.extend({ volume: z.number() });
/** GET /:id/music, for a coach or a display (core/rooms/music.ts). */
export { RoomMusicSchema as RoomMusicResponseSchema } from '../rooms/music';

/** POST /:id/results: a participant's result of a class run, from their phone (participant token). */
export const ClassResultBodySchema = ClassResultSchema.extend({
  /** A member's phone recorded the run as a workout: a room hub's copy of it is then dropped (issue 15). */
  recordedOnPhone: z.boolean().optional(),
});
/** Its answer: a guest gets the token of a link that attaches the result to an account later. */
export const ResultPostedSchema = z.object({ claimToken: z.string().nullable() });
/** POST /rooms/results/claim (signed in). */
export const ClaimResultBodySchema = z.strictObject({ token: z.string().min(1).max(200) });
export const ClaimedResultSchema = z.object({ runStartedAt: z.number(), name: z.string(), points: z.number() });
export type ClaimedResult = z.infer<typeof ClaimedResultSchema>;

const ReportRowSchema = ClassResultSchema.omit({ runStartedAt: true }).extend({
  participantId: z.string(),
  name: z.string(),
  member: z.boolean(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

/** GET /:id/report: the room's latest classes, each with its participants by points. */
export const RoomReportSchema = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  classes: z.array(
    z.object({
      runStartedAt: z.number(),
      attendance: z.number().int(),
      averages: z.object({ points: z.number(), avgBpm: z.number().nullable() }),
      participants: z.array(ReportRowSchema),
    }),
  ),
});
export type RoomReport = z.infer<typeof RoomReportSchema>;
