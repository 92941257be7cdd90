/**
 * Room hubs and the strap registry (issue 15): request bodies as the server validates them
 * (sync-server/src/routes/hubs.ts) and the answers the PWA checks (web/src/lib/hub/hub-api.ts).
 * The hub's live frames are core/rooms/wire.ts ("Room hub").
 */
import { z } from 'zod';
import { DISPLAY_LINK_STATES, ParticipantViewSchema, StrapKeySchema } from '../rooms';

const name = z.string().trim().min(1).max(100);
const code = z.string().trim().min(1).max(20);
const deviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const recordId = z.string().regex(/^[a-z0-9]{15}$/);

export const CreateHubBodySchema = z.strictObject({ name: z.string().trim().max(100).optional() });
export const PairHubBodySchema = z.strictObject({ code });

/** A hub as the coach sees it: its live link is a display's (waiting, live, reconnecting, offline). */
export const RoomHubSchema = z.object({ id: z.string(), name: z.string(), created: z.string(), pairingPending: z.boolean(), state: z.enum(DISPLAY_LINK_STATES) });
export type RoomHub = z.infer<typeof RoomHubSchema>;
export const RoomHubsResponseSchema = z.object({ hubs: z.array(RoomHubSchema) });
export const CreatedHubSchema = z.object({ hub: RoomHubSchema, token: z.string(), pairingCode: z.string(), pairingExpiresAt: z.number(), linkPath: z.string() });
export type CreatedHub = z.infer<typeof CreatedHubSchema>;
export const PairedHubSchema = z.object({ roomId: z.string(), hubId: z.string(), token: z.string() });

/** The coach names an unknown strap's wearer (a guest) in one step; remembered for that hub. */
export const AssignStrapBodySchema = z.strictObject({
  name,
  age: z.number().int().min(5).max(120).optional(),
  sex: z.enum(['male', 'female']).optional(),
  weightKg: z.number().min(20).max(400).optional(),
  maxHr: z.number().int().min(25).max(250).optional(),
});
export type AssignStrapInput = z.infer<typeof AssignStrapBodySchema>;

/**
 * What the coach must know about a strap a hub hears (the strap registry's conflicts):
 * - owner_not_opted_in: a member registered it but has not opted in to joining automatically;
 * - member_not_joined: its member opted in, but it joined before as a guest (it becomes theirs
 *   the next time the hub resolves it, unless the coach named it);
 * - named_guest_registered: the coach named it as a guest, and a member has registered it;
 * - registered_to_other_member: it joined as one member, and another member holds it now;
 * - claim_contested: a phone tried to claim it while another phone follows it.
 */
export const STRAP_CONFLICTS = ['owner_not_opted_in', 'member_not_joined', 'named_guest_registered', 'registered_to_other_member', 'claim_contested'] as const;
export type StrapConflict = (typeof STRAP_CONFLICTS)[number];

/** A strap a hub carries into the room, as the coach sees it (its key once the server noted it). */
export const RoomStrapSchema = z.object({
  participant: ParticipantViewSchema,
  hubId: z.string(),
  claimed: z.boolean(),
  key: z.string().nullable().default(null),
  conflicts: z.array(z.enum(STRAP_CONFLICTS)).default([]),
});
export const RoomStrapsResponseSchema = z.object({ straps: z.array(RoomStrapSchema) });

/** A phone without Bluetooth: the room's code, then "I am Strap 4821". */
export const StrapListBodySchema = z.strictObject({ code, deviceId });
export const StrapChoiceSchema = z.object({ participantId: z.string(), name: z.string(), mine: z.boolean() });
export const StrapListSchema = z.object({ room: z.object({ id: z.string(), name: z.string() }), straps: z.array(StrapChoiceSchema) });
export type StrapChoice = z.infer<typeof StrapChoiceSchema>;
export const StrapClaimBodySchema = z.strictObject({ code, deviceId, participantId: recordId });
/** The phone lets go of its strap ("Not my strap"). */
export const StrapReleaseBodySchema = StrapClaimBodySchema;
export const StrapClaimedSchema = z.object({ room: z.object({ id: z.string(), name: z.string() }), participant: ParticipantViewSchema, token: z.string() });

// The strap registry (the signed-in member's own straps).

export const StrapProfileSchema = z.strictObject({
  age: z.number().int().min(5).max(120).optional(),
  sex: z.enum(['male', 'female']).optional(),
  weightKg: z.number().min(20).max(400).optional(),
  maxHr: z.number().int().min(25).max(250).optional(),
  restingHr: z.number().int().min(25).max(150).optional(),
});
export const RegisterStrapBodySchema = z.strictObject({ key: StrapKeySchema });
export const StrapPrefsBodySchema = z.strictObject({ autoJoin: z.boolean(), profile: StrapProfileSchema });
export const MyStrapsSchema = z.object({
  straps: z.array(z.object({ key: z.string(), created: z.string() })),
  autoJoin: z.boolean(),
  profile: StrapProfileSchema,
});
export type MyStraps = z.infer<typeof MyStrapsSchema>;
