/**
 * /api/v1/rooms (class mode): request bodies as the server validates them
 * (sync-server/src/routes/rooms.ts) and the answers the PWA checks
 * (web/src/lib/rooms/room-api.ts). The live socket's messages are core/rooms/wire.ts.
 */
import { z } from 'zod';
import { JoinRequestSchema, MUSIC_COMMANDS, ParticipantViewSchema, TIMER_COMMANDS } from '../rooms';
import { PlanSchema, TimerStateSchema } from '../workout';
import { RecordIdSchema } from './auth';

const name = z.string().trim().min(1).max(100);
const code = z.string().trim().min(1).max(20);

/** :id, :userId, :displayId, :participantId */
export const RoomRecordIdSchema = RecordIdSchema;
export const CreateRoomBodySchema = z.strictObject({ name, plan: PlanSchema });
export const RenameRoomBodySchema = z.strictObject({ name });
export const CoCoachBodySchema = z.strictObject({ email: z.email().max(254).transform((e) => e.trim().toLowerCase()) });
export const CreateDisplayBodySchema = z.strictObject({ name: z.string().trim().max(100).optional() });
export const PairBodySchema = z.strictObject({ code });
export const JoinBodySchema = JoinRequestSchema;
export const TimerBodySchema = z.strictObject({ command: z.enum(TIMER_COMMANDS), plan: PlanSchema.optional(), ifRevision: z.number().int().min(0).optional() });
export const RoomMusicCommandSchema = z.enum(MUSIC_COMMANDS);
export const RoomVolumeBodySchema = z.strictObject({ percent: z.number().int().min(0).max(100) });

export const CoachRoomSchema = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  ownerId: z.string(),
  isOwner: z.boolean(),
  coCoaches: z.array(z.object({ id: z.string(), name: z.string() })),
  created: z.string(),
});
export type CoachRoom = z.infer<typeof CoachRoomSchema>;

export const RoomDisplaySchema = z.object({ id: z.string(), name: z.string(), created: z.string(), pairingPending: z.boolean() });
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

export const RoomsResponseSchema = z.object({ rooms: z.array(CoachRoomSchema) });
export const RoomWithTimerSchema = z.object({ room: CoachRoomSchema, timer: TimerStateSchema });
export const RoomDetailSchema = RoomWithTimerSchema.extend({ serverTime: z.number() });
export const RoomOnlySchema = z.object({ room: CoachRoomSchema });
export const RoomDisplaysResponseSchema = z.object({ displays: z.array(RoomDisplaySchema) });
export const RoomParticipantsResponseSchema = z.object({ participants: z.array(ParticipantViewSchema) });
/** 200 of POST /:id/timer; a refused command is a 409 error body that also carries `state`. */
export const TimerReplySchema = z.object({ state: TimerStateSchema, serverTime: z.number() });
export const RoomOkSchema = z.object({ ok: z.literal(true) });
export const RoomVolumeReplySchema = RoomOkSchema.extend({ volume: z.number() });
