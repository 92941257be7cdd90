/**
 * The class-mode live protocol (v1), defined once for the sync server and the PWA. JSON text
 * frames over one WebSocket per screen: GET /api/v1/rooms/:roomId/live.
 *
 * 1. The client opens the socket (same-origin; a member's session cookie rides along) and sends
 *    `hello` with its role: `display` + display token, `participant` + participant token, or
 *    `control` (the cookie's member must be the room's coach or a co-coach).
 * 2. The server answers `welcome` (server time, staleness thresholds) and a `snapshot` of the
 *    whole room; then deltas: `hr`, `participant`, `participant-left`, `timer`, `room`.
 * 3. Any role may `ping`; the server answers `pong` with its clock (see clock-offset.ts).
 * 4. Participants send `hr` at about 1 Hz with their own `seq` and monotonic `t`; the server
 *    paces by those (hr-pacing.ts), so readings bunched by a stall are kept while a flood is
 *    cut off. (`seq`/`t` are optional: a client without them is paced by receive time.)
 *    Control sends `timer` commands and gets `command-result`. Anything else for the role →
 *    `error` frame.
 * 5. The server closes with a 44xx code (LIVE_CLOSE) when access ends: display revoked or
 *    re-paired, participant removed, control's session revoked or co-coach removed, room or
 *    account deleted, no hello in time. Access is re-checked on every such event, on every
 *    server process, not only at hello.
 * 6. After the server lost room events (a bus outage), it sends a fresh `snapshot`: a screen
 *    replaces its whole state with it, as after a reconnect.
 * 7. A room hub (issue 15) says hello with role `hub` + hub token, gets what a display gets, and
 *    sends `hub-readings` batches for many straps over its one socket; the server maps each strap
 *    to a participant of the hub's own room (`hub-strap`, to that hub only) and fans out `hr` as
 *    for a phone. A participant socket gets its own `hr` (a phone following a hub's strap).
 *
 * Every time in a server message is the server's clock (ms since the epoch).
 */
import { z } from 'zod';
import { PlanSchema, TimerStateSchema } from '../workout';
import { TILE_SORT_MODES, type TileSortMode } from './tile-order';

export const LIVE_PROTOCOL_VERSION = 1;

export const LIVE_CLOSE = {
  /** No valid hello in time, or bad credentials. */
  unauthorized: 4401,
  /** Display revoked, participant removed, control no longer allowed. */
  revoked: 4403,
  /** Room deleted. */
  roomGone: 4404,
  /** Sent too much (flood) or could not keep up (slow consumer). */
  overloaded: 4429,
  /** Server shutting down: reconnect. */
  restarting: 4503,
} as const;

/**
 * `POST /api/v1/rooms/join`: a participant joins with the room's code, as a signed-in member
 * (the cookie says who) or as a guest with a name and age. `deviceId` is generated once per
 * browser and kept: the same device and room always give the same participant (one tile).
 */
export const JoinRequestSchema = z.strictObject({
  code: z.string().trim().min(1).max(20),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  name: z.string().trim().min(1).max(100).optional(),
  age: z.number().int().min(5).max(120).optional(),
  sex: z.enum(['male', 'female']).optional(),
  weightKg: z.number().min(20).max(400).optional(),
  maxHr: z.number().int().min(25).max(250).optional(),
  /** For effort points by heart-rate reserve (core/workout/effort-points.ts). */
  restingHr: z.number().int().min(25).max(150).optional(),
  /** Screens show only the initials; the room never stores the full name. */
  initialsOnly: z.boolean().optional(),
  /** false: left out of rankings (the results screen's order); the coach's report still lists them. */
  ranked: z.boolean().optional(),
});
export type JoinInput = z.input<typeof JoinRequestSchema>;

export const TIMER_COMMANDS = ['start', 'pause', 'resume', 'stop', 'skip', 'restart', 'change-plan'] as const;
export type TimerCommandName = (typeof TIMER_COMMANDS)[number];

const id = z.string().regex(/^[a-z0-9]{15}$/);
const token = z.string().min(20).max(200);
const ms = z.number().int();
const bpm = z.number().int().min(1).max(255);

// Client → server.

export const HelloSchema = z.discriminatedUnion('role', [
  z.strictObject({ type: z.literal('hello'), v: z.literal(LIVE_PROTOCOL_VERSION), role: z.literal('display'), token }),
  z.strictObject({ type: z.literal('hello'), v: z.literal(LIVE_PROTOCOL_VERSION), role: z.literal('participant'), token }),
  z.strictObject({ type: z.literal('hello'), v: z.literal(LIVE_PROTOCOL_VERSION), role: z.literal('control') }),
  /** A room hub (see "Room hub" below) with its hub token. */
  z.strictObject({ type: z.literal('hello'), v: z.literal(LIVE_PROTOCOL_VERSION), role: z.literal('hub'), token }),
]);

export const PingSchema = z.strictObject({ type: z.literal('ping'), id: z.number().int().min(0), t0: z.number() });

export const HrSchema = z
  .strictObject({
    type: z.literal('hr'),
    bpm,
    /** Calories so far (the participant's phone computes them, Keytel 2005). */
    kcal: z.number().min(0).max(100_000).optional(),
    /** Effort points so far in the class (the phone computes them, core/workout/effort-points.ts). */
    points: z.number().int().min(0).max(100_000).optional(),
    /** Optional; when present it must be the sender's own id. */
    participantId: id.optional(),
    /** The sender's own count of hr frames on this socket, growing (hr-pacing.ts). */
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** The sender's monotonic clock (ms, any origin) when it sent the frame (hr-pacing.ts). */
    t: z.number().finite().min(0).optional(),
  })
  .refine((m) => (m.seq === undefined) === (m.t === undefined), { message: 'seq and t go together', path: ['t'] });

export const TimerCommandSchema = z
  .strictObject({
    type: z.literal('timer'),
    command: z.enum(TIMER_COMMANDS),
    /** For change-plan only. */
    plan: PlanSchema.optional(),
    /** Compare-and-swap: apply only if the current revision is this one (else `conflict`). */
    ifRevision: z.number().int().min(0).optional(),
    /** Echoed in command-result. */
    requestId: z.string().max(64).optional(),
  })
  .refine((m) => (m.command === 'change-plan') === (m.plan !== undefined), { message: 'plan goes with change-plan only', path: ['plan'] });

// Room hub (issue 15): one gym device carries many straps into the room over one socket.

/**
 * A strap as the room knows it: `ant:<device number>` for an ANT+ strap, `ble:<advertised name>`
 * for a Bluetooth one (both are what a member reads off the strap or the phone's chooser and
 * registers). The registry (straps) uses the same keys. A hub keeps its own `ble:<device id>`
 * keys for recording and maps them with bluetoothStrapKey(name) when it publishes.
 */
export const STRAP_KEY_PATTERN = /^(ant|ble):[A-Za-z0-9:_.-]{1,76}$/;
export const StrapKeySchema = z.string().regex(STRAP_KEY_PATTERN);

/** `ble:<name>` with the characters a key cannot hold as `_` ("Polar H10 4E2D1A2B" → `ble:Polar_H10_4E2D1A2B`). */
export function bluetoothStrapKey(nameOrId: string): string {
  const body = nameOrId.trim().replace(/[^A-Za-z0-9:_.-]+/g, '_').slice(0, 76);
  return `ble:${body || '_'}`;
}

/**
 * How a strap no one has named yet is shown: "Strap 4821" for ANT+ (the last four digits of the
 * device number printed on it), the advertised name for Bluetooth ("Polar H10 4E2D1A2B").
 */
export function strapLabel(key: string): string {
  if (key.startsWith('ble:')) return key.slice(4).replace(/_+/g, ' ').trim().slice(0, 40) || 'Bluetooth strap';
  const body = key.replace(/^ant:/, '');
  const digits = body.replace(/\D/g, '');
  return `Strap ${digits ? digits.slice(-4) : body.slice(-4)}`;
}

/** One strap's latest reading in a hub's batch; `points` once the hub knows the strap's participant. */
export const HubReadingSchema = z.strictObject({
  strap: StrapKeySchema,
  bpm,
  /** RR intervals since the last batch (ms). */
  rr: z.array(z.number().int().min(100).max(4000)).max(32).optional(),
  battery: z.number().int().min(0).max(100).nullable().optional(),
  /** Effort points so far in the class, worked out on the hub from the strap's readings. */
  points: z.number().int().min(0).max(100_000).optional(),
  /** The hub's clock when the reading arrived (ms since the epoch); the server uses its own time. */
  at: z.number().finite().min(0).optional(),
});
export type HubReading = z.infer<typeof HubReadingSchema>;

/** Hub → server: the latest reading of each strap heard since the last batch (about once a second). */
export const HubReadingsSchema = z.strictObject({ type: z.literal('hub-readings'), readings: z.array(HubReadingSchema).min(1).max(64) });
export type HubReadingsMessage = z.infer<typeof HubReadingsSchema>;

/** Server → that hub only: the participant a strap is (sent once per strap per socket, and when it changes). */
export const HubStrapMessageSchema = z.object({ type: z.literal('hub-strap'), strap: StrapKeySchema, participantId: id.nullable() });

export const ClientMessageSchema = z.union([HelloSchema, PingSchema, HrSchema, TimerCommandSchema, HubReadingsSchema]);

export type Hello = z.infer<typeof HelloSchema>;
export type LiveRole = Hello['role'];
export type HrMessage = z.infer<typeof HrSchema>;
export type TimerCommandMessage = z.infer<typeof TimerCommandSchema>;
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

// Server → client.

export const ParticipantViewSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  age: z.number().int().nullable(),
  sex: z.enum(['male', 'female']).nullable(),
  weightKg: z.number().nullable(),
  /** A measured maximum from the member's profile; null: screens use Tanaka from age. */
  maxHr: z.number().int().nullable(),
  /** Given at join; null: effort points assume DEFAULT_RESTING_HR. Absent from older servers. */
  restingHr: z.number().int().nullable().optional(),
  /** false: not ranked on screens (absent from older servers: ranked). */
  ranked: z.boolean().optional(),
  member: z.boolean(),
  joinedAt: ms,
});
export type ParticipantView = z.infer<typeof ParticipantViewSchema>;

export const HrReadingSchema = z.object({ bpm, kcal: z.number().nullable(), points: z.number().int().nullable().optional(), at: ms });
export type HrReading = z.infer<typeof HrReadingSchema>;

export const LiveConfigSchema = z.object({ staleMs: ms, goneMs: ms, hrMinIntervalMs: ms });
export type LiveConfig = z.infer<typeof LiveConfigSchema>;

/** `sort`: the tile order every screen of the room shows, set by a coach (absent from older servers: by name). */
export const RoomInfoSchema = z.object({ id, name: z.string(), joinCode: z.string().nullable(), sort: z.enum(TILE_SORT_MODES as [TileSortMode, ...TileSortMode[]]).optional() });
export type RoomInfo = z.infer<typeof RoomInfoSchema>;

/**
 * A screen of the room as the server sees its live link (control only): `live` while a socket of
 * the display is open and has been heard from lately on some server process; `reconnecting` when
 * it was connected and is not now; `waiting` while it has never connected and its pairing code
 * still works; `offline` when it has never connected (or not for a long time) and the code has
 * expired; `revoked` once removed.
 */
export const DISPLAY_LINK_STATES = ['live', 'reconnecting', 'waiting', 'offline', 'revoked'] as const;
export type DisplayLinkState = (typeof DISPLAY_LINK_STATES)[number];

export const SnapshotParticipantSchema = ParticipantViewSchema.extend({
  hr: HrReadingSchema.nullable(),
  /** Server time of the last heart rate, or of the join before any. */
  seenAt: ms,
});
export type SnapshotParticipant = z.infer<typeof SnapshotParticipantSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    v: z.literal(LIVE_PROTOCOL_VERSION),
    role: z.enum(['display', 'participant', 'control', 'hub']),
    roomId: id,
    participantId: id.nullable(),
    displayId: id.nullable(),
    serverTime: ms,
    config: LiveConfigSchema,
  }),
  z.object({
    type: z.literal('snapshot'),
    serverTime: ms,
    room: RoomInfoSchema,
    timer: TimerStateSchema,
    /** Displays and control: everyone not gone; a participant: itself only. */
    participants: z.array(SnapshotParticipantSchema),
  }),
  z.object({ type: z.literal('hr'), participantId: id, bpm, kcal: z.number().nullable(), points: z.number().int().nullable().optional(), at: ms }),
  z.object({ type: z.literal('participant'), participant: ParticipantViewSchema, seenAt: ms }),
  z.object({ type: z.literal('participant-left'), participantId: id, reason: z.enum(['left', 'removed']) }),
  z.object({ type: z.literal('timer'), state: TimerStateSchema }),
  z.object({ type: z.literal('room'), room: RoomInfoSchema }),
  /** Control only: a screen's live link changed (connected, dropped, revoked); re-read GET /displays. */
  z.object({ type: z.literal('display'), displayId: id, change: z.enum(['connected', 'disconnected', 'revoked']) }),
  z.object({ type: z.literal('pong'), id: z.number().int(), t0: z.number(), serverTime: ms }),
  z.object({
    type: z.literal('command-result'),
    requestId: z.string().nullable(),
    ok: z.boolean(),
    /** conflict | forbidden | a timer rejection (already-started, not-running, ...). */
    code: z.string().nullable(),
    revision: z.number().int(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  HubStrapMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: 'invalid-message'; message: string };

function parseWith<T>(schema: z.ZodType<T> | ((value: unknown) => z.ZodType<T>), text: string): ParseResult<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'invalid-message', message: 'not JSON' };
  }
  const r = (typeof schema === 'function' ? schema(value) : schema).safeParse(value);
  if (r.success) return { ok: true, message: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, code: 'invalid-message', message: `${issue.path.join('.') || 'message'}: ${issue.message}` };
}

/**
 * A client frame's schema by its `type`, so a heart rate (a frame a second per participant) is
 * checked against HrSchema alone rather than tried against every member of the union first.
 * The same checks as ClientMessageSchema; an unknown type goes to the union for its message.
 */
const CLIENT_SCHEMA_BY_TYPE: Record<string, z.ZodType<ClientMessage>> = { hello: HelloSchema, ping: PingSchema, hr: HrSchema, timer: TimerCommandSchema, 'hub-readings': HubReadingsSchema };
const clientSchemaFor = (value: unknown): z.ZodType<ClientMessage> => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return (typeof type === 'string' && Object.hasOwn(CLIENT_SCHEMA_BY_TYPE, type) ? CLIENT_SCHEMA_BY_TYPE[type] : undefined) ?? ClientMessageSchema;
};

/** Validates a frame from a client (server side). Never throws. */
export const parseClientMessage = (text: string) => parseWith<ClientMessage>(clientSchemaFor, text);
/** Validates a frame from the server (screen side). Never throws. */
export const parseServerMessage = (text: string) => parseWith<ServerMessage>(ServerMessageSchema, text);

/** "Ann Marie Smith" → "AMS" (at most three letters); what a screen shows of a hidden name. */
export function initialsOf(name: string): string {
  const letters = name
    .trim()
    .split(/[\s\-_.]+/u)
    .map((w) => [...w].find((ch) => /\p{L}|\p{N}/u.test(ch)) ?? '')
    .filter(Boolean)
    .slice(0, 3)
    .join('')
    .toUpperCase();
  return letters || '?';
}
