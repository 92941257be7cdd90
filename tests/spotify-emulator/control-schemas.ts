/** zod schemas of the control plane's request bodies (test-only, not Spotify). */
import { z } from 'zod';
import { faultRuleSchema } from './faults';
import { knobsSchema } from './knobs';
import { redirectUriProblem } from './redirect-uri';

const id = z.string().min(1);
const instant = z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

export const clientSchema = z.object({
  id,
  secret: id,
  redirectUris: z
    .array(z.string())
    .min(1)
    .refine((uris) => uris.every((u) => redirectUriProblem(u) === null), {
      message: 'redirect URIs must be https, or http on 127.0.0.1 / [::1]; localhost is not allowed',
    }),
  developer: id.optional(),
  quotaMode: z.enum(['development', 'extended']).optional(),
});

const userSchema = z.object({
  id,
  displayName: z.string().optional(),
  product: z.enum(['premium', 'free', 'open']).optional(),
  allowlisted: z.boolean().optional(),
  owner: z.boolean().optional(),
  country: z.string().length(2).optional(),
  email: z.string().optional(),
});

export const usersSchema = z.union([userSchema, z.object({ users: z.array(userSchema) })]);

const deviceSchema = z.object({
  id,
  name: z.string().optional(),
  type: z.string().default('Computer'),
  volumePercent: z.number().int().min(0).max(100).default(50),
  supportsVolume: z.boolean().default(true),
  isRestricted: z.boolean().default(false),
  isPrivateSession: z.boolean().default(false),
});

export const devicesSchema = z.object({
  user: id,
  /** Replaces the user's device list. */
  devices: z.array(deviceSchema).optional(),
  /** Make this device active (null: none). */
  active: id.nullable().optional(),
});

const playableSchema = z.union([
  id,
  z.object({
    kind: z.enum(['track', 'episode', 'ad']).default('track'),
    id: id.optional(),
    name: z.string().optional(),
    durationMs: z.number().int().min(1),
    artists: z.array(z.string()).default(['Emulator Artist']),
    album: z.string().default('Emulator Album'),
  }),
]);

export type PlayableInput = z.infer<typeof playableSchema>;

export const playbackSchema = z.object({
  user: id,
  /** Catalog ids, or inline items (an `ad` for free users, an `episode`). */
  queue: z.array(playableSchema).optional(),
  contextUri: z.string().optional(),
  index: z.number().int().min(0).default(0),
  positionMs: z.number().int().min(0).optional(),
  isPlaying: z.boolean().optional(),
  deviceId: id.optional(),
  repeat: z.enum(['off', 'track', 'context']).optional(),
  shuffle: z.boolean().optional(),
});

export const clockSchema = z.union([
  z.object({ advanceMs: z.number().int() }).strict(),
  z.object({ set: instant }).strict(),
]);

export const revokeSchema = z.union([
  z.object({ user: id, clientId: id.optional(), accessTokens: z.enum(['keep', 'kill']).optional() }).strict(),
  z.object({ refreshToken: id }).strict(),
  z.object({ accessToken: id }).strict(),
]);

export const faultsSchema = z.union([
  z.object({ clear: z.literal(true), route: z.string().optional() }).strict(),
  faultRuleSchema,
]);

export const modeSchema = knobsSchema.partial().strict();

export const consentSchema = z.union([
  z.object({ user: id, decision: z.enum(['approve', 'deny']), scopes: z.array(z.string()).optional() }).strict(),
  z.object({ auto: id.nullable() }).strict(),
  z.object({ clear: z.literal(true) }).strict(),
]);

export const offlinePlaysSchema = z.object({
  user: id,
  plays: z.array(z.object({ trackId: id, startedAt: instant, durationMs: z.number().int().min(1).optional() })),
  /** Defaults to the historyLagMs knob. */
  lagMs: z.number().int().min(0).optional(),
});

export const catalogSchema = z.object({
  tracks: z
    .array(z.object({ id, name: z.string(), durationMs: z.number().int().min(1), artists: z.array(z.string()).default(['Emulator Artist']), album: z.string().default('Emulator Album') }))
    .default([]),
  episodes: z.array(z.object({ id, name: z.string(), durationMs: z.number().int().min(1), show: z.string().default('Emulator Show') })).default([]),
  playlists: z
    .array(z.object({ id, name: z.string(), description: z.string().default(''), owner: z.string().default('emulator'), itemIds: z.array(id) }))
    .default([]),
});
