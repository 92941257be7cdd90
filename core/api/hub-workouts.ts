/**
 * After a class carried by a room hub (issue 15, "After class"): the hub uploads each strap's
 * class workout, built on the hub exactly as a phone builds its own class recording (the same
 * session record, execution record and sample-codec chunks), and the server makes it the
 * participant's: a member's goes into their synced sessions, a guest's is held for the claim
 * link of their class result (rooms/results). POST /api/v1/rooms/:id/hub/workouts, with the
 * hub's token as a Bearer credential.
 */
import { z } from 'zod';
import { ClassResultSchema, StrapKeySchema } from '../rooms';
import { ChunkPutSchema, LiveSessionSchema } from '../sync';

/** A long class at 4 Hz is ≈ 240 chunks of 60 readings. */
export const MAX_HUB_WORKOUT_CHUNKS = 400;

export const HubWorkoutChunkSchema = ChunkPutSchema.omit({ id: true, type: true, sessionId: true });
export type HubWorkoutChunk = z.infer<typeof HubWorkoutChunkSchema>;

export const HubWorkoutBodySchema = z.strictObject({
  strap: StrapKeySchema,
  /** The class's result for this strap (the report and the screen's results count it). */
  result: ClassResultSchema,
  /** The workout: its `id` is replaced by the server's (one per member or guest and run). */
  session: LiveSessionSchema,
  chunks: z.array(HubWorkoutChunkSchema).min(1).max(MAX_HUB_WORKOUT_CHUNKS),
});
export type HubWorkoutBody = z.infer<typeof HubWorkoutBodySchema>;

/**
 * `member`: in the member's history; `phone`: the member's own phone recorded the class too,
 * and its workout is the one kept; `held`: a guest's, for `claimToken` (the class result's link).
 */
export const HubWorkoutPostedSchema = z.object({
  participantId: z.string(),
  delivered: z.enum(['member', 'phone', 'held']),
  recordedBy: z.enum(['hub', 'phone']),
  claimToken: z.string().nullable(),
});
export type HubWorkoutPosted = z.infer<typeof HubWorkoutPostedSchema>;
