/**
 * The sync wire format, defined once and imported by the PWA and the sync server.
 * docs/sync-protocol.md explains the semantics; this file is the shape. Every object is strict:
 * an unknown field is a client from another protocol version or a bug, and is rejected rather
 * than silently dropped.
 *
 * Design references: RxDB replication protocol (pull by checkpoint, push with conflict
 * detection: https://rxdb.info/replication.html), Replicache (client mutation ids make pushes
 * idempotent: https://doc.replicache.dev/concepts/how-it-works).
 */
import { z } from 'zod';
import { DEVICE_ID_PATTERN, HLC_PATTERN } from './hlc';
import { PlanSchema } from '../workout/plan';
import { ProfileSchema } from '../workout/profile';
import { TimerStateSchema } from '../workout/timer-state';
import { EXECUTION_VERSION, executionIndexesValid, type Recomputation, type SessionExecution } from '../workout/execution';
import type { DocRecord } from './doc';
import { canonicalJson, type LiveSession, type SessionRecord } from './merge';
import { MAX_READINGS_PER_CHUNK } from './sample-codec';

/**
 * Version 2 adds the member's documents (profile, personal settings, custom plans: doc.ts,
 * docs/sync-protocol.md §8). Version 1 clients still sync sessions: they cannot express a
 * document, and their pulls leave documents out (§8, "Protocol versions").
 * Version 3 adds a session's execution record (LiveSession.execution, §9): what ran and what
 * its figures were computed with. Older clients push sessions without it (write-once, so an
 * absent field changes nothing) and their pulls leave it out (their strict schema refuses it).
 * Version 4 adds the settings register `cueSpeech` (spoken cues). Older clients cannot push it,
 * and their pulls get the settings document without it (`docForProtocol`): their strict schema
 * would refuse the page, and sync would stop until the app updated.
 * Version 5 adds the settings register `firstDayOfWeek` (how history groups weeks), the same way
 * (SETTINGS_SINCE).
 */
export const PROTOCOL_VERSION = 5;
export const SUPPORTED_PROTOCOLS = [1, 2, 3, 4, 5] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOLS)[number];
export const ProtocolSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

export const MAX_MUTATIONS_PER_PUSH = 500;
/** Encoded chunk size limit: a full 65 536-reading chunk stays well under it (≈3 B/reading). */
export const MAX_CHUNK_BYTES = 256 * 1024;
export const MAX_PULL_LIMIT = 1000;
export const MAX_TITLE_LENGTH = 200;
export const MAX_NOTES_LENGTH = 10_000;
export const MAX_TAGS = 32;
export const MAX_TAG_LENGTH = 40;

/** Error codes shared by push results and request-level errors, with text the UI can show. */
export const SYNC_ERROR_MESSAGES = {
  invalid_request: 'The sync request was malformed. Please update the app.',
  unsupported_protocol: 'This version of the app can no longer sync. Please update it.',
  unauthorized: 'Please sign in again to sync.',
  invalid_mutation: 'A change could not be understood by the server and was dropped.',
  immutable_conflict: 'A workout was recorded twice with different start details; the first copy was kept.',
  unknown_session: 'A change refers to a workout the server does not know yet; it will be retried.',
  session_deleted: 'This workout was deleted on another device.',
  plan_deleted: 'This plan was deleted on another device.',
  clock_drift: "This device's clock is too far ahead. Check the date and time settings.",
  chunk_hash_mismatch: 'A piece of recorded data differs from the copy already saved; the saved copy was kept.',
  chunk_corrupt: 'A piece of recorded data was damaged in transit and was not saved.',
  payload_too_large: 'Too much data in one go; the app will send it in smaller parts.',
  quota_exceeded: 'Your storage is full. Delete old workouts to keep syncing.',
  batch_aborted: 'Nothing was saved because another change in the same batch was refused; it will be retried.',
  stale_cursor: 'Sync needs to start over; your workouts are safe on this device.',
  rate_limited: 'Syncing too often; the app will try again shortly.',
} as const satisfies Record<string, string>;

export type SyncErrorCode = keyof typeof SYNC_ERROR_MESSAGES;
export const SYNC_ERROR_CODES = Object.keys(SYNC_ERROR_MESSAGES) as [SyncErrorCode, ...SyncErrorCode[]];
export const SyncErrorCodeSchema = z.enum(SYNC_ERROR_CODES);

/** Lower-case RFC 9562 UUID (any version; v7 recommended for time-ordered ids). */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const IdSchema = z.string().regex(UUID_PATTERN, 'expected a lower-case UUID');
export const DeviceIdSchema = z.string().regex(DEVICE_ID_PATTERN, 'expected 1-64 of [A-Za-z0-9_-]');
export const HlcStringSchema = z.string().regex(HLC_PATTERN, 'expected <ms:15 digits>-<counter:4 hex>-<deviceId>');
/** Server-assigned and opaque to clients: compare only for equality, never parse or order. */
export const CursorSchema = z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'expected an opaque cursor');
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected lower-case hex SHA-256');
const EpochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Uint16 = z.number().int().min(0).max(0xffff);

const stamped = <T extends z.ZodType>(value: T) => z.strictObject({ value, hlc: HlcStringSchema });
const TitleSchema = z.string().max(MAX_TITLE_LENGTH);
const NotesSchema = z.string().max(MAX_NOTES_LENGTH);
const TagsSchema = z.array(z.string().min(1).max(MAX_TAG_LENGTH)).max(MAX_TAGS).readonly();

export const SessionPlanSchema = z.strictObject({ planId: z.string().min(1).max(64), name: z.string().max(200) });
export const SessionSummarySchema = z.strictObject({
  endedAt: EpochMs,
  durationMs: Count,
  readingCount: Count,
  avgBpm: Uint16.nullable(),
  maxBpm: Uint16.nullable(),
  energyKj: Uint16.nullable(),
});

// ---- The execution record (protocol 3, core/workout execution.ts, §9) ----

/** Bounds: a long plan's record stays far below the stored record's limit (sync_sessions.record). */
export const MAX_EXECUTION_SPANS = 2000;
export const MAX_EXECUTION_INTERVALS = 1000;
/** Canonical JSON characters of one execution record. */
export const MAX_EXECUTION_CHARS = 96 * 1024;

const Finite = z.number().min(-1e9).max(1e9);
const NonNegative = z.number().min(0).max(1e13);
const WallMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const BpmFigure = z.number().min(0).max(300);
const HrStatsSchema = z.strictObject({ avgBpm: BpmFigure, maxBpm: BpmFigure, minBpm: BpmFigure, coveredMs: NonNegative });
const intervalBase = {
  phaseIndex: z.number().int().min(0).max(100_000),
  start: WallMs,
  end: WallMs,
  activeMs: NonNegative,
  avgBpm: BpmFigure.nullable(),
  peakBpm: BpmFigure.nullable(),
};
const StoredIntervalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...intervalBase, kind: z.literal('work'), targetZone: z.number().int().min(0).max(10).nullable(), timeToTargetMs: NonNegative.nullable() }),
  z.strictObject({ ...intervalBase, kind: z.literal('rest'), startBpm: BpmFigure.nullable(), endBpm: BpmFigure.nullable(), dropBpm: z.number().min(-300).max(300).nullable() }),
]);
export const StoredSummarySchema = z.strictObject({
  durationMs: NonNegative,
  heartRate: HrStatsSchema.nullable(),
  timeInZoneMs: z.array(NonNegative).max(12),
  calories: z.strictObject({ kcal: Finite, estimate: z.literal(true), method: z.literal('keytel-2005') }),
  trimp: z.strictObject({ value: Finite, method: z.literal('banister-1991') }),
  hrv: z.strictObject({ rmssdMs: NonNegative, pairs: Count, accepted: Count, rejected: Count }).nullable(),
  intervals: z.array(StoredIntervalSchema).max(MAX_EXECUTION_INTERVALS),
});
export const SessionExecutionSchema = z
  .strictObject({
    v: z.literal(EXECUTION_VERSION),
    timer: TimerStateSchema,
    spans: z.array(z.strictObject({ phaseIndex: z.number().int().min(0).max(100_000), start: WallMs, end: WallMs })).max(MAX_EXECUTION_SPANS),
    profile: ProfileSchema,
    profileSource: z.enum(['member', 'default', 'class-join']),
    tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60),
    summary: StoredSummarySchema,
  })
  .refine((e) => e.timer.startedAt !== null && e.timer.stoppedAt !== null, { message: 'an execution record has a started and stopped timer', path: ['timer'] })
  .refine((e) => executionIndexesValid(e as SessionExecution), { message: 'a phaseIndex outside the plan', path: ['spans'] })
  .refine((e) => canonicalJson(e).length <= MAX_EXECUTION_CHARS, { message: `at most ${MAX_EXECUTION_CHARS} characters of JSON` }) as unknown as z.ZodType<SessionExecution>;

/** A summary computed again with another profile (LiveSession.recomputed, §9). */
export const RecomputationSchema = z
  .strictObject({ profile: ProfileSchema, summary: StoredSummarySchema })
  .refine((r) => canonicalJson(r).length <= MAX_EXECUTION_CHARS, { message: `at most ${MAX_EXECUTION_CHARS} characters of JSON` }) as unknown as z.ZodType<Recomputation>;

export const LiveSessionSchema = z.strictObject({
  kind: z.literal('live'),
  id: IdSchema,
  startedAt: EpochMs,
  plan: SessionPlanSchema.nullable(),
  summary: SessionSummarySchema.nullable(),
  execution: SessionExecutionSchema.optional(),
  recomputed: stamped(RecomputationSchema).optional(),
  title: stamped(TitleSchema),
  notes: stamped(NotesSchema),
  tags: stamped(TagsSchema),
}) satisfies z.ZodType<LiveSession>;

export const SessionTombstoneSchema = z.strictObject({ kind: z.literal('tombstone'), id: IdSchema, deletedAt: HlcStringSchema });
export const SessionRecordSchema = z.discriminatedUnion('kind', [LiveSessionSchema, SessionTombstoneSchema]) satisfies z.ZodType<SessionRecord>;

const mutationBase = { id: IdSchema };

export const SessionUpsertSchema = z.strictObject({ ...mutationBase, type: z.literal('session.upsert'), session: LiveSessionSchema });

const patchOf = <F extends string, T extends z.ZodType>(field: F, value: T) =>
  z.strictObject({ ...mutationBase, type: z.literal('session.patch'), sessionId: IdSchema, field: z.literal(field), value, hlc: HlcStringSchema });
export const SessionPatchSchema = z.discriminatedUnion('field', [
  patchOf('title', TitleSchema),
  patchOf('notes', NotesSchema),
  patchOf('tags', TagsSchema),
  patchOf('recomputed', RecomputationSchema),
]);

export const SessionDeleteSchema = z.strictObject({ ...mutationBase, type: z.literal('session.delete'), sessionId: IdSchema, hlc: HlcStringSchema });

/** Standard base64 (RFC 4648 §4) with padding; at most MAX_CHUNK_BYTES once decoded. */
const Base64Payload = z.base64().max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4);

export const ChunkPutSchema = z.strictObject({
  ...mutationBase,
  type: z.literal('chunk.put'),
  sessionId: IdSchema,
  index: z.number().int().min(0).max(1_000_000),
  sealed: z.boolean(),
  payload: Base64Payload,
  sha256: Sha256HexSchema,
  readingCount: z.number().int().min(1).max(MAX_READINGS_PER_CHUNK),
  firstT: EpochMs,
  lastT: EpochMs,
});

// ---- Documents (protocol 2): profile, personal settings, custom plans (doc.ts, §8) ----

const Bpm = z.number().int().min(25).max(250);
/** The profile's registers. Coupled values are one register (doc.ts): method + measured value, model + bounds. */
export const PROFILE_VALUES = {
  age: z.number().int().min(5).max(120),
  sex: z.enum(['male', 'female']),
  weightKg: z.number().min(20).max(400),
  restingHr: Bpm,
  maxHr: z.strictObject({ method: z.enum(['measured', 'tanaka', 'fox']), measured: Bpm.nullable() }),
  zones: z.strictObject({ model: z.enum(['percent-max', 'karvonen', 'custom']), customBounds: z.array(Bpm).length(5).nullable() }),
};
/** The settings that belong to the person, not the device (§8 lists the device's own). */
export const SETTINGS_VALUES = {
  cueMuted: z.boolean(),
  cueVibrate: z.boolean(),
  /** Spoken cues (phase names, "10 seconds", halfway, target hints) where the device can speak. */
  cueSpeech: z.boolean(),
  units: z.enum(['metric', 'imperial']),
  /** A saved plan's id or a preset's id; null = none. */
  defaultPlan: z.string().min(1).max(64).nullable(),
  /** First day of the week for history (ISO weekday, 1 = Monday … 7 = Sunday); null = the device locale's. */
  firstDayOfWeek: z.number().int().min(1).max(7).nullable(),
};
/**
 * Settings registers added after protocol 2, with the protocol that added each: an older client
 * cannot push them, and its pulls get the settings document without them (`docForProtocol`).
 */
export const SETTINGS_SINCE: Readonly<Partial<Record<keyof typeof SETTINGS_VALUES, ProtocolVersion>>> = { cueSpeech: 4, firstDayOfWeek: 5 };
const settingsNewerThan = (protocol: number) =>
  (Object.entries(SETTINGS_SINCE) as Array<[string, number]>).filter(([, since]) => protocol < since).map(([k, since]) => ({ key: k, since }));
export const PLAN_VALUES = {
  name: z.string().min(1).max(200),
  body: PlanSchema,
};
export const PlanDocIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 of [A-Za-z0-9_-]');

type Values = Record<string, z.ZodType>;
const fieldsOf = (values: Values) => z.strictObject(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, stamped(v).optional()])));
const patchValuesOf = (values: Values) =>
  z
    .strictObject(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.optional()])))
    .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'a patch sets at least one field' });

export const ProfileDocSchema = z.strictObject({ type: z.literal('profile'), id: z.literal('profile'), fields: fieldsOf(PROFILE_VALUES) });
export const SettingsDocSchema = z.strictObject({ type: z.literal('settings'), id: z.literal('settings'), fields: fieldsOf(SETTINGS_VALUES) });
export const PlanDocSchema = z.strictObject({ type: z.literal('plan'), id: PlanDocIdSchema, fields: fieldsOf(PLAN_VALUES), deletedAt: HlcStringSchema.optional() });
export const DocRecordSchema = z.discriminatedUnion('type', [ProfileDocSchema, SettingsDocSchema, PlanDocSchema]) as unknown as z.ZodType<DocRecord>;

const docPatchOf = <D extends string, I extends z.ZodType>(doc: D, docId: I, values: Values) =>
  z.strictObject({ ...mutationBase, type: z.literal('doc.patch'), doc: z.literal(doc), docId, values: patchValuesOf(values), hlc: HlcStringSchema });
export const DocPatchSchema = z.discriminatedUnion('doc', [
  docPatchOf('profile', z.literal('profile'), PROFILE_VALUES),
  docPatchOf('settings', z.literal('settings'), SETTINGS_VALUES),
  docPatchOf('plan', PlanDocIdSchema, PLAN_VALUES),
]);
/** Only plans can be deleted. */
export const DocDeleteSchema = z.strictObject({ ...mutationBase, type: z.literal('doc.delete'), doc: z.literal('plan'), docId: PlanDocIdSchema, hlc: HlcStringSchema });

export const MutationSchema = z.discriminatedUnion('type', [SessionUpsertSchema, SessionPatchSchema, SessionDeleteSchema, ChunkPutSchema, DocPatchSchema, DocDeleteSchema]);
export const isDocMutation = (m: { type: string }) => m.type === 'doc.patch' || m.type === 'doc.delete';

export const PushRequestSchema = z
  .strictObject({
    protocol: ProtocolSchema,
    deviceId: DeviceIdSchema,
    clientId: IdSchema.optional(),
    mutations: z.array(MutationSchema).min(1).max(MAX_MUTATIONS_PER_PUSH),
  })
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.mutations.forEach((m, i) => {
      if (request.protocol < 2 && isDocMutation(m)) ctx.addIssue({ code: 'custom', path: ['mutations', i, 'type'], message: `${m.type} needs protocol 2` });
      if (m.type === 'doc.patch' && m.doc === 'settings') {
        for (const { key, since } of settingsNewerThan(request.protocol)) {
          if (key in m.values) ctx.addIssue({ code: 'custom', path: ['mutations', i, 'values', key], message: `${key} needs protocol ${since}` });
        }
      }
      if (request.protocol < 3 && m.type === 'session.upsert' && m.session.execution !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['mutations', i, 'session', 'execution'], message: 'execution needs protocol 3' });
      }
      if (request.protocol < 3 && ((m.type === 'session.upsert' && m.session.recomputed !== undefined) || (m.type === 'session.patch' && m.field === 'recomputed'))) {
        ctx.addIssue({ code: 'custom', path: ['mutations', i], message: 'recomputed needs protocol 3' });
      }
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['mutations', i, 'id'], message: 'duplicate mutation id in one batch' });
      seen.add(m.id);
    });
  });

export const MutationStatusSchema = z.enum(['applied', 'duplicate', 'rejected']);

export const MutationResultSchema = z
  .strictObject({
    mutationId: IdSchema,
    status: MutationStatusSchema,
    code: SyncErrorCodeSchema.optional(),
    message: z.string().max(1000).optional(),
  })
  .refine((r) => r.status !== 'rejected' || r.code !== undefined, { message: 'a rejected mutation carries a code', path: ['code'] });

export const PushResponseSchema = z.strictObject({
  results: z.array(MutationResultSchema).max(MAX_MUTATIONS_PER_PUSH),
  cursor: CursorSchema,
});

/**
 * Which rows a pull returns (docs/sync-protocol.md §3, "Two streams"): `sessions` is the
 * metadata stream a new device pulls first so its history list fills at once; `chunks` is the
 * readings stream it pulls after, in the background; `all` (the default) is both in one order.
 * Each stream has its own cursor on the client; the sequence space is the same.
 */
export const PULL_KINDS = ['all', 'sessions', 'chunks'] as const;
export const PullKindsSchema = z.enum(PULL_KINDS);

export const PullRequestSchema = z.strictObject({
  protocol: ProtocolSchema,
  deviceId: DeviceIdSchema,
  cursor: CursorSchema.nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
  kinds: PullKindsSchema.optional(),
  /**
   * `omit`: leave out the chunks this device pushed itself (§3, "A device's own chunks"); only a
   * client that takes a new device id whenever it drops a member's data may ask for it.
   */
  own: z.enum(['include', 'omit']).optional(),
});

/**
 * The readings of one session, for a device that opens a workout before the background pull
 * has brought them: `GET /api/v1/sync/sessions/:id/chunks?protocol=1&deviceId=…&from=0`.
 * `from` is the first chunk index wanted.
 */
export const SessionChunksRequestSchema = z.strictObject({
  protocol: ProtocolSchema,
  deviceId: DeviceIdSchema,
  from: z.number().int().min(0).max(1_000_000).optional(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});

export const SessionChangeSchema = z.strictObject({ kind: z.literal('session'), record: SessionRecordSchema });
export const ChunkChangeSchema = z.strictObject({
  kind: z.literal('chunk'),
  sessionId: IdSchema,
  index: ChunkPutSchema.shape.index,
  sealed: z.boolean(),
  payload: Base64Payload,
  sha256: Sha256HexSchema,
  readingCount: ChunkPutSchema.shape.readingCount,
  firstT: EpochMs,
  lastT: EpochMs,
});
/** A document's merged state (protocol 2 pulls only; the metadata stream). */
export const DocChangeSchema = z.strictObject({ kind: z.literal('doc'), record: DocRecordSchema });
export const ChangeSchema = z.discriminatedUnion('kind', [SessionChangeSchema, ChunkChangeSchema, DocChangeSchema]);

export const PullResponseSchema = z.strictObject({
  cursor: CursorSchema,
  changes: z.array(ChangeSchema).max(MAX_PULL_LIMIT),
  hasMore: z.boolean(),
  reset: z.literal(true).optional(),
});

/** Chunks in index order; with `hasMore`, ask again from the last index + 1. */
export const SessionChunksResponseSchema = z.strictObject({
  sessionId: IdSchema,
  changes: z.array(ChunkChangeSchema).max(MAX_PULL_LIMIT),
  hasMore: z.boolean(),
});

/**
 * The app-wide error envelope as the sync endpoints send it: sync codes, plus the codes any
 * endpoint can answer (unauthenticated, csrf_rejected, db_unavailable, sync_busy, …), which the
 * client shows by message and retries by status.
 */
export const ErrorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z.union([SyncErrorCodeSchema, z.string().min(1).max(64)]),
    message: z.string().max(1000),
    requestId: z.string().max(128).optional(),
  }),
});

/**
 * A session as an older client may see it: protocol 1 and 2 schemas are strict and know no
 * `execution` or `recomputed`, so their pulls leave them out (the session still syncs; §9).
 */
export function sessionForProtocol(record: SessionRecord, protocol: ProtocolVersion): SessionRecord {
  if (protocol >= 3 || record.kind !== 'live' || (record.execution === undefined && record.recomputed === undefined)) return record;
  const { execution: _execution, recomputed: _recomputed, ...rest } = record;
  return rest;
}

/**
 * A document as an older client may see it: its pulls get the settings without the registers
 * newer than its protocol (SETTINGS_SINCE), which its strict schema would refuse.
 */
export function docForProtocol(record: DocRecord, protocol: ProtocolVersion): DocRecord {
  if (record.type !== 'settings') return record;
  const unknown = settingsNewerThan(protocol).filter(({ key }) => key in record.fields);
  if (unknown.length === 0) return record;
  const fields = { ...record.fields };
  for (const { key } of unknown) delete fields[key];
  return { ...record, fields };
}

export type SessionUpsert = z.infer<typeof SessionUpsertSchema>;
export type SessionPatch = z.infer<typeof SessionPatchSchema>;
export type SessionDelete = z.infer<typeof SessionDeleteSchema>;
export type ChunkPut = z.infer<typeof ChunkPutSchema>;
export type DocPatch = z.infer<typeof DocPatchSchema>;
export type DocDelete = z.infer<typeof DocDeleteSchema>;
export type DocChange = z.infer<typeof DocChangeSchema>;
export type Mutation = z.infer<typeof MutationSchema>;
export type PushRequest = z.infer<typeof PushRequestSchema>;
export type MutationStatus = z.infer<typeof MutationStatusSchema>;
export type MutationResult = z.infer<typeof MutationResultSchema>;
export type PushResponse = z.infer<typeof PushResponseSchema>;
export type PullRequest = z.infer<typeof PullRequestSchema>;
export type PullKinds = z.infer<typeof PullKindsSchema>;
export type SessionChunksRequest = z.infer<typeof SessionChunksRequestSchema>;
export type SessionChunksResponse = z.infer<typeof SessionChunksResponseSchema>;
export type SessionChange = z.infer<typeof SessionChangeSchema>;
export type ChunkChange = z.infer<typeof ChunkChangeSchema>;
export type Change = z.infer<typeof ChangeSchema>;
export type PullResponse = z.infer<typeof PullResponseSchema>;
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** A result carrying the stable code and the UI text for it. */
export function rejected(mutationId: string, code: SyncErrorCode, detail?: string): MutationResult {
  return { mutationId, status: 'rejected', code, message: detail ?? SYNC_ERROR_MESSAGES[code] };
}
