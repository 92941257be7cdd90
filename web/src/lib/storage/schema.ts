/**
 * The PWA's IndexedDB schema (Dexie), defined once. Other features (history, export, sync) build
 * on these tables: change them only by adding a new `DB_VERSIONS` entry, never by editing one.
 *
 * Database `hrm` (DB_NAME), version 1:
 *
 * | table      | primary key         | indexes                  | one row is                       |
 * |------------|---------------------|--------------------------|----------------------------------|
 * | sessions   | id (string)         | startedAt, status        | one recorded workout (SessionRow)|
 * | chunks     | [sessionId+seq]     | sessionId                | ≤ CHUNK_READINGS readings,       |
 * |            |                     |                          | encoded with core/sync encodeChunk|
 * | plans      | id (string)         | updatedAt                | a saved interval plan (PlanRow)  |
 * | settings   | key (string)        | —                        | one setting: 'profile', 'cues'   |
 *
 * Sessions
 * - `id`: 15 chars of [a-z0-9] (PocketBase's default record id pattern, so sync can reuse it).
 * - `status`: 'recording' while a workout runs (or after it was cut off by a crash, a closed tab
 *   or a reload: the app offers to resume or finish such a session), then 'finished'.
 * - Times are wall-clock ms since the epoch. `startedAt` = the timer's start; `endedAt` is null
 *   while recording. `lastWriteAt` is the wall time of the latest flush: for a session cut off
 *   by a crash it is the last moment we know the recorder was alive.
 * - `plan` and `timer` (core/workout TimerState, updated on every pause/resume/skip/stop) say
 *   what ran; `phases` (core/workout phaseHistory) holds each phase's actual start and end.
 *   While recording `phases` may lag behind; it is final once `status` is 'finished'.
 * - `gaps`: stretches without heart rate (strap disconnected, silent, no contact, 0 bpm, app
 *   closed); `end` is null while a gap is open. Each gap start also appears in the readings as a
 *   bpm-0 marker reading, so core/workout's summary never holds a value across it.
 * - `summary` (core/workout WorkoutSummary) and `profile` (the Profile it was computed with;
 *   `profileIsDefault` when the user had not set one) are filled in at finish.
 * - `title` and `notes` are the user's; `title` defaults to the plan name (a class: the room's).
 * - `room` (optional, not indexed, so no new version): set for a workout recorded during a class;
 *   its `plan` is the room's and its `timer` followed the room's timer (core/rooms
 *   recordingTimer), so history shows the class's intervals like a solo workout's.
 *
 * Chunks (readings)
 * - Readings are stored compactly, CHUNK_READINGS (60, about a minute) per row, as the bytes of
 *   core/sync `encodeChunk` (sample codec v1: t, bpm, RR in 1/1024 s, contact, energy kJ).
 * - The newest chunk of a recording session is "open" (`sealed: 0`): the recorder rewrites it
 *   in place on every flush (at least once a second) until it holds CHUNK_READINGS readings, then
 *   seals it (`sealed: 1`) and opens `seq + 1`. Readings of a session in time order = chunks in
 *   `seq` order, each decoded (`decodeChunk`) in order. `t0`/`t1` are the first/last reading's
 *   time and `count` the number of readings, so a reader can skip chunks without decoding.
 *
 * Version 2 (sync) adds SessionRow.syncId/owner/synced/record/origin and the tables
 *
 * | table      | primary key         | indexes                  | one row is                       |
 * |------------|---------------------|--------------------------|----------------------------------|
 * | outbox     | ++seq               | owner, sessionId         | a queued mutation (OutboxRow)    |
 * | rejected   | ++seq               | owner                    | a refused mutation (RejectedRow) |
 * | tombstones | id (wire id)        | owner                    | a deleted session (TombstoneRow) |
 * | syncMeta   | key                 | —                        | device id, HLC, cursors          |
 *
 * The upgrade marks every existing session as a guest's (owner ''): it is offered to the
 * account at the next sign-in. Pulled sessions use their wire id as `id` too.
 *
 * Version 3 (sync protocol 2) adds
 *
 * | table      | primary key         | indexes                  | one row is                       |
 * |------------|---------------------|--------------------------|----------------------------------|
 * | docs       | key (owner/docKey)  | owner                    | a synced document (DocRow)       |
 *
 * A document is the CRDT state (core/sync DocRecord) of the profile (`profile:profile`), the
 * personal settings (`settings:settings`) or a saved plan (`plan:<PlanRow.id>`). The `settings`
 * and `plans` tables stay what screens read; every local edit writes both in one transaction
 * with its outbox row, and a pull merges into `docs` and rewrites them (storage/docs.ts).
 *
 * Version 4 (history progress) adds
 *
 * | table        | primary key         | indexes                | one row is                       |
 * |--------------|---------------------|------------------------|----------------------------------|
 * | sessionFacts | id (SessionRow.id)  | —                      | a finished session's figures for |
 * |              |                     |                        | progress (SessionFactsRow)       |
 *
 * the summary index (session-facts.ts): weekly totals and records read it, not the ~9 KB rows.
 * The upgrade fills it from the stored rows; a DBCore middleware keeps it in step with every
 * later write of `sessions`, in the same transaction.
 *
 * Version 5 (room hub, additive: two new tables, nothing else changes) adds
 *
 * | table         | primary key            | indexes                 | one row is                     |
 * |---------------|------------------------|-------------------------|--------------------------------|
 * | hubRecordings | id (string)            | [roomId+status], strapKey | one strap's readings carried |
 * |               |                        |                         | by this hub in one room (HubRecordingRow) |
 * | hubChunks     | [recordingId+seq]      | recordingId             | ≤ CHUNK_READINGS of them       |
 *
 * A hub (web/src/lib/hub) records every strap it hears, ANT+ or Bluetooth, crash-safely like the
 * phone recorder: each reading is written as it arrives (the open chunk rewritten in place), so
 * a hub page that crashes or reloads keeps everything up to ≤ 1 s before, and the next page goes
 * on in the same rows (the time away becomes an 'app-closed' gap). After class, each strap's
 * readings of the run become its wearer's workout on the server (hub/after-class.svelte.ts), not a
 * local session: `sessionId` stays null.
 *
 * Plans: user-saved plans (core/workout Plan, validated with PlanSchema when read).
 * Settings: `{ key: 'profile', value: Profile }` (validated with ProfileSchema when read),
 * `{ key: 'cues', value: CuePrefs }`, `{ key: 'units', value: 'metric' | 'imperial' }`,
 * `{ key: 'defaultPlan', value: string | null }`, `{ key: 'firstDayOfWeek', value: 1-7 | null }`
 * (the person's, synced), and the device's own
 * (not synced, docs/sync-protocol.md §8): the paired strap, kiosk options.
 */
import type { Plan, PhaseSpan, Profile, TimerState, WorkoutSummary } from '$core/workout';
import type { GapReason } from '$core/heart-rate';
import type { Transaction } from 'dexie';
import { formatHlc, patchDoc, emptyDoc, planValues, profileValues, type DocRecord, type LiveSession, type Mutation, type SyncErrorCode } from '$core/sync';
import { PlanSchema, ProfileSchema } from '$core/workout';
import { factsRowOf, FACTS_TABLE, type SessionFactsRow } from './session-facts';

export const DB_NAME = 'hrm';

/** Readings per chunk row (about a minute at the strap's 1 Hz). */
export const CHUNK_READINGS = 60;

export type SessionStatus = 'recording' | 'finished';

/** Why there is no heart rate: the strap layer's reasons, or the app itself was not running. */
export type SessionGapReason = GapReason | 'app-closed';

export interface SessionGap {
  reason: SessionGapReason;
  start: number;
  /** Null while the gap is open. */
  end: number | null;
}

/** The class a session was recorded in, and which run of its timer the recording follows. */
export interface SessionRoom {
  id: string;
  name: string;
  /** Server start of the room timer's run being recorded; null while waiting for the coach. */
  runStartedAt?: number | null;
  /** A run already over when the recording began: not this recording's (core/rooms class-run). */
  pastRunStartedAt?: number | null;
  /** The profile given when joining the class: the recording's figures are computed with it. */
  profile?: Profile;
}

/** Where the readings came from. */
export type ReadingSource = 'strap' | 'simulated' | 'none';

export interface SessionRow {
  id: string;
  /** Row format version. */
  v: 1;
  status: SessionStatus;
  startedAt: number;
  endedAt: number | null;
  lastWriteAt: number;
  title: string;
  notes: string;
  plan: Plan;
  timer: TimerState;
  phases: PhaseSpan[];
  gaps: SessionGap[];
  source: ReadingSource;
  readingCount: number;
  /** Number of chunk rows (the next chunk's seq). */
  chunkCount: number;
  profile: Profile | null;
  profileIsDefault: boolean;
  summary: WorkoutSummary | null;
  updatedAt: number;
  /** Wire id (lower-case UUID), set when the session first gets a sync record (version 2). */
  syncId?: string;
  /** Version 2: '' (GUEST) = recorded while signed out; otherwise the member's user id. */
  owner?: string;
  /** Version 2: 1 once the server has the session (upsert acknowledged, or pulled). */
  synced?: 0 | 1;
  /**
   * Version 2: the session's CRDT state (core/sync LiveSession), set when it finishes or is
   * pulled. `title` and `notes` above mirror its values; edits stamp it with this device's HLC.
   */
  record?: LiveSession;
  /** Version 2: 'remote' for sessions pulled from another device (plan and timer are stand-ins). */
  origin?: 'local' | 'remote';
  /** Recorded during this class (its plan and timer are the room's). */
  room?: SessionRoom;
  /**
   * Local time minus UTC at the start, minutes; written at finish (not indexed, so no new
   * version). Rows finished by older versions lack it. With the row's timer, phases, profile and
   * summary it makes the record's execution (docs/sync-protocol.md §9).
   */
  tzOffsetMinutes?: number;
}

/** SessionRow.owner of a workout recorded while nobody was signed in. */
export const GUEST = '';

/**
 * One queued sync mutation (version 2), written in the same transaction as the data it
 * describes. Chunks are queued by reference and encoded when pushed (their hash needs
 * crypto.subtle, which cannot be awaited inside an IndexedDB transaction).
 */
export type OutboxRow = {
  /** Auto-increment: push order. */
  seq?: number;
  /** Client-generated mutation id, reused on every retry. */
  id: string;
  owner: string;
  /** Wire session id (SessionRow.syncId); for a document mutation its docKey. */
  sessionId: string;
  /** Pushes that came back retryable (batch_aborted, unknown_session, ...). */
  attempts: number;
} & (
  | { type: 'session.upsert' | 'session.patch' | 'session.delete' | 'doc.patch' | 'doc.delete'; mutation: Exclude<Mutation, { type: 'chunk.put' }> }
  | { type: 'chunk.put'; chunk: { localId: string; index: number } }
);

/** A mutation the server refused for good, shown to the member (version 2). */
export interface RejectedRow {
  seq?: number;
  owner: string;
  mutationId: string;
  type: Mutation['type'];
  sessionId: string;
  code: SyncErrorCode;
  message: string;
  at: number;
}

/** A session deleted on this device or learnt deleted from the server (version 2). */
export interface TombstoneRow {
  /** Wire session id. */
  id: string;
  owner: string;
  deletedAt: string;
}

/** Sync bookkeeping (version 2): device id, HLC state, owner, cursors. See storage/sync-meta.ts. */
export interface SyncMetaRow {
  key: string;
  value: unknown;
}

export interface ChunkRow {
  sessionId: string;
  /** 0, 1, 2, ... in time order. */
  seq: number;
  /** 0 while the recorder may still rewrite it, 1 once full or the session finished. */
  sealed: 0 | 1;
  t0: number;
  t1: number;
  count: number;
  /** core/sync encodeChunk bytes (sample codec v1). */
  data: Uint8Array;
}

/** One strap's readings carried by this hub in one room (version 5). */
export interface HubRecordingRow {
  /** 15 chars of [a-z0-9] (newId). */
  id: string;
  roomId: string;
  /** `ant:4821` or `ble:<device id>` (hub-reading.ts). */
  strapKey: string;
  /** The room timer's run the readings belong to, when the hub knows it; null otherwise. */
  classRunId: string | null;
  /** 'recording' while the hub carries the strap (or after it was cut off); 'closed' after. */
  status: 'recording' | 'closed';
  startedAt: number;
  /** Wall time of the latest write: the last moment this hub is known to have been recording. */
  lastWriteAt: number;
  readingCount: number;
  /** Number of chunk rows (the next chunk's seq). */
  chunkCount: number;
  /** Stretches the hub page was away (crash, reload): `reason` 'app-closed'. */
  gaps: SessionGap[];
  /** Set once this recording has become a session (after class; not built yet). */
  sessionId: string | null;
}

/** Readings of a hub recording, packed like ChunkRow (version 5). */
export interface HubChunkRow {
  recordingId: string;
  seq: number;
  sealed: 0 | 1;
  t0: number;
  t1: number;
  count: number;
  data: Uint8Array;
}

export interface PlanRow {
  id: string;
  name: string;
  plan: Plan;
  createdAt: number;
  updatedAt: number;
}

/** A member's (or, with owner '', a guest's) synced document (version 3). */
export interface DocRow {
  /** core/sync docKey(type, id). */
  key: string;
  owner: string;
  record: DocRecord;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

/**
 * Dexie store definitions per database version (first entry = primary key, `&` unique,
 * `[a+b]` compound). Append a version to change the schema; never edit a published one.
 */
export const DB_VERSIONS: ReadonlyArray<{
  version: number;
  stores: Record<string, string>;
  /** Rewrites rows for this version (Dexie's version().upgrade), inside the upgrade transaction. */
  upgrade?: (tx: Transaction) => Promise<unknown>;
}> = [
  {
    version: 1,
    stores: {
      sessions: 'id, startedAt, status',
      chunks: '[sessionId+seq], sessionId',
      plans: 'id, updatedAt',
      settings: 'key',
    },
  },
  {
    // Sync (docs/sync-protocol.md): sessions get a wire id and an owner; the outbox, the
    // rejected list, local tombstones and sync bookkeeping get tables of their own.
    version: 2,
    stores: {
      sessions: 'id, startedAt, status, &syncId, owner',
      outbox: '++seq, owner, sessionId',
      rejected: '++seq, owner',
      tombstones: 'id, owner',
      syncMeta: 'key',
    },
    upgrade: (tx) =>
      tx
        .table('sessions')
        .toCollection()
        .modify((row: SessionRow) => {
          row.owner ??= GUEST;
          row.synced ??= 0;
          row.origin ??= 'local';
        }),
  },
  {
    // Sync protocol 2: the profile, personal settings and saved plans as documents.
    version: 3,
    stores: { docs: 'key, owner' },
    upgrade: async (tx) => {
      const stamp = (ms: number) => formatHlc({ ms: Math.max(0, Math.min(ms, 999_999_999_999_999)), counter: 0, deviceId: 'local' });
      const guest = (record: DocRecord): DocRow => ({ key: `${GUEST}/${record.type}:${record.id}`, owner: GUEST, record });
      const settings = tx.table<SettingRow, string>('settings');
      const rows: DocRow[] = [];
      const profile = ProfileSchema.safeParse((await settings.get('profile'))?.value);
      if (profile.success) rows.push(guest(patchDoc(emptyDoc('profile', 'profile'), { ...profileValues(profile.data) }, stamp(0))));
      const cues = (await settings.get('cues'))?.value as { muted?: unknown; vibrate?: unknown } | undefined;
      if (typeof cues?.muted === 'boolean' && typeof cues.vibrate === 'boolean') {
        rows.push(guest(patchDoc(emptyDoc('settings', 'settings'), { cueMuted: cues.muted, cueVibrate: cues.vibrate }, stamp(0))));
      }
      for (const plan of await tx.table<PlanRow, string>('plans').toArray()) {
        const parsed = PlanSchema.safeParse(plan.plan);
        if (parsed.success) rows.push(guest(patchDoc(emptyDoc('plan', plan.id), { ...planValues(parsed.data) }, stamp(plan.updatedAt))));
      }
      await tx.table<DocRow, string>('docs').bulkPut(rows);
    },
  },
  {
    // History progress: the summary index (session-facts.ts), filled in for stored rows.
    version: 4,
    stores: { [FACTS_TABLE]: 'id' },
    upgrade: async (tx) => {
      const rows: SessionFactsRow[] = [];
      await tx
        .table<SessionRow, string>('sessions')
        .each((row) => {
          const f = factsRowOf(row);
          if (f) rows.push(f);
        });
      await tx.table<SessionFactsRow, string>(FACTS_TABLE).bulkPut(rows);
    },
  },
  {
    // The room hub's per-strap recordings (additive: new tables only).
    version: 5,
    stores: { hubRecordings: 'id, [roomId+status], strapKey', hubChunks: '[recordingId+seq], recordingId' },
  },
];
