/**
 * The transactional outbox (docs/sync-protocol.md §1): every change to a member's session and
 * the mutation that tells the server about it are written in ONE Dexie transaction, so a crash
 * leaves both or neither. These helpers run inside the caller's transaction (tables listed in
 * OUTBOX_TABLES) and never await anything but Dexie.
 *
 * What is queued:
 * - a session finishes (or a guest's session is added to the account): session.upsert, then a
 *   chunk.put per chunk row, all sealed (the recording is final);
 * - a title/notes edit: session.patch stamped with this device's HLC;
 * - a delete: session.delete (the session's unsent mutations are dropped; a local tombstone
 *   keeps a pull that raced the delete from bringing it back).
 * Guest sessions (owner '') get a record but no outbox rows until they are added to an account.
 */
import { MAX_NOTES_LENGTH, MAX_TITLE_LENGTH, SessionExecutionSchema, patchSession, type LiveSession, type SessionSummary } from '$core/sync';
import { buildExecution, isRestingCheckPlan, RESTING_CHECK_PLAN_ID, type Recomputation, type SessionExecution } from '$core/workout';
import type { HrmDatabase } from './database';
import { GUEST, type OutboxRow, type SessionRow } from './schema';
import { currentOwner, stampHlc } from './sync-meta';

export type NewId = () => string;
export const randomUuid: NewId = () => crypto.randomUUID();

/** Tables an outbox write touches, for `db.transaction('rw', [...])`. */
export const outboxTables = (d: HrmDatabase) => [d.sessions, d.chunks, d.outbox, d.syncMeta, d.tombstones];

const uint16OrNull = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.min(0xffff, Math.max(0, Math.round(v))));

/** The wire summary (write-once) of a finished local session. */
export function wireSummary(row: SessionRow, readingCount: number): SessionSummary {
  const endedAt = row.endedAt ?? row.lastWriteAt;
  return {
    endedAt,
    durationMs: Math.max(0, row.summary?.durationMs ?? endedAt - row.startedAt),
    readingCount,
    avgBpm: uint16OrNull(row.summary?.heartRate?.avgBpm),
    maxBpm: uint16OrNull(row.summary?.heartRate?.maxBpm),
    energyKj: null,
  };
}

/**
 * A class workout names its room (`room:<id>`), so every device knows it came from that class; a
 * resting check names itself (RESTING_CHECK_PLAN_ID), so the server sends its resting HR to
 * intervals.icu wellness and a workout's never.
 */
function wirePlan(row: SessionRow): LiveSession['plan'] {
  if (row.room) return { planId: `room:${row.room.id}`.slice(0, 64), name: row.plan.name.slice(0, 200) };
  if (isRestingCheckPlan(row.plan)) return { planId: RESTING_CHECK_PLAN_ID, name: row.plan.name };
  return row.plan.mode === 'stopwatch' ? null : { planId: row.plan.mode, name: row.plan.name.slice(0, 200) };
}

/** Local time minus UTC at `ms` on this device, minutes (getTimezoneOffset is UTC minus local). */
export function deviceTzOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset() || 0;
}

/**
 * The execution record (docs/sync-protocol.md §9) of a finished session recorded here: what ran
 * and what its summary was computed with. Null when the row lacks a piece (a row finished by an
 * older version keeps its summary but not, say, its zone offset: it is then sent as such a
 * version would) or when the record would not pass the wire schema (a pathological session, e.g.
 * more pauses than the bounds allow): the session must sync either way.
 */
export function wireExecution(row: SessionRow): SessionExecution | null {
  if (!row.summary || !row.profile || row.tzOffsetMinutes === undefined || row.timer.startedAt === null || row.timer.stoppedAt === null) return null;
  const execution = buildExecution({
    timer: row.timer,
    spans: row.phases,
    profile: row.profile,
    profileSource: row.room?.profile ? 'class-join' : row.profileIsDefault ? 'default' : 'member',
    tzOffsetMinutes: row.tzOffsetMinutes,
    summary: row.summary,
  });
  return SessionExecutionSchema.safeParse(execution).success ? execution : null;
}

/** The first CRDT state of a session recorded here; `hlc` stamps its title, notes and tags. */
export function buildRecord(row: SessionRow, syncId: string, readingCount: number, hlc: string): LiveSession {
  const execution = wireExecution(row);
  return {
    kind: 'live',
    id: syncId,
    startedAt: row.startedAt,
    plan: wirePlan(row),
    summary: wireSummary(row, readingCount),
    ...(execution ? { execution } : {}),
    title: { value: row.title.slice(0, MAX_TITLE_LENGTH), hlc },
    notes: { value: row.notes.slice(0, MAX_NOTES_LENGTH), hlc },
    tags: { value: [], hlc },
  };
}

/** Queues the upsert and every chunk of a finished session for `owner`. */
export async function enqueueSession(d: HrmDatabase, row: SessionRow & { record: LiveSession }, owner: string, newId: NewId): Promise<void> {
  const sessionId = row.record.id;
  await d.outbox.add({ id: newId(), owner, sessionId, attempts: 0, type: 'session.upsert', mutation: { id: '', type: 'session.upsert', session: row.record } } as OutboxRow);
  const chunks = await d.chunks.where('sessionId').equals(row.id).sortBy('seq');
  for (const c of chunks) {
    if (c.count === 0) continue;
    await d.outbox.add({ id: newId(), owner, sessionId, attempts: 0, type: 'chunk.put', chunk: { localId: row.id, index: c.seq } });
  }
}

/** Gives a finished session its record (and wire id), in the caller's transaction. */
async function ensureRecord(d: HrmDatabase, row: SessionRow, owner: string, now: number, newId: NewId): Promise<SessionRow & { record: LiveSession }> {
  if (row.record) return { ...row, record: row.record, owner };
  const chunks = await d.chunks.where('sessionId').equals(row.id).toArray();
  const readingCount = chunks.reduce((n, c) => n + c.count, 0);
  const syncId = row.syncId ?? newId();
  const record = buildRecord(row, syncId, readingCount, await stampHlc(d, now));
  const next = { ...row, syncId, owner, synced: 0 as const, origin: 'local' as const, record };
  await d.sessions.put(next);
  return next;
}

/**
 * Called by the recorder inside its finish transaction: the session gets its sync record and,
 * when a member is signed in on this device, its outbox rows.
 */
export async function recordFinished(d: HrmDatabase, id: string, now: number, newId: NewId = randomUuid): Promise<void> {
  const row = await d.sessions.get(id);
  if (!row || row.status !== 'finished' || row.record) return;
  const owner = await currentOwner(d);
  const withRecord = await ensureRecord(d, row, owner, now, newId);
  if (owner !== GUEST) await enqueueSession(d, withRecord, owner, newId);
}

/** Finished workouts recorded while signed out, waiting to be offered to an account. */
export async function guestSessions(d: HrmDatabase): Promise<SessionRow[]> {
  const rows = await d.sessions.where('owner').equals(GUEST).toArray();
  return rows.filter((r) => r.status === 'finished');
}

/** Adds this device's guest workouts to `owner`'s account and queues them, in one transaction. */
export async function adoptGuestSessions(d: HrmDatabase, owner: string, now: number, newId: NewId = randomUuid): Promise<number> {
  return d.transaction('rw', outboxTables(d), async () => {
    const rows = await guestSessions(d);
    for (const row of rows) {
      const withRecord = await ensureRecord(d, row, owner, now, newId);
      await d.sessions.update(row.id, { owner });
      await enqueueSession(d, withRecord, owner, newId);
    }
    return rows.length;
  });
}

/** A title/notes edit: updates the row and its record and queues one patch per changed field. */
export async function editSession(
  d: HrmDatabase,
  row: SessionRow,
  patch: { title?: string; notes?: string },
  now: number,
  newId: NewId = randomUuid,
): Promise<void> {
  const changes: Partial<SessionRow> = { updatedAt: now };
  if (patch.title !== undefined) changes.title = patch.title;
  if (patch.notes !== undefined) changes.notes = patch.notes;
  let record = row.record;
  if (record) {
    for (const field of ['title', 'notes'] as const) {
      const value = changes[field];
      if (value === undefined || value === record[field].value) continue;
      const limited = value.slice(0, field === 'title' ? MAX_TITLE_LENGTH : MAX_NOTES_LENGTH);
      const hlc = await stampHlc(d, now);
      record = patchSession(record, field, limited, hlc) as LiveSession;
      if (row.owner) {
        await d.outbox.add({
          id: newId(),
          owner: row.owner,
          sessionId: record.id,
          attempts: 0,
          type: 'session.patch',
          mutation: { id: '', type: 'session.patch', sessionId: record.id, field, value: limited, hlc },
        } as OutboxRow);
      }
    }
    changes.record = record;
  }
  await d.sessions.update(row.id, changes);
}

/**
 * "Recompute with my current profile", confirmed: stores the new figures as the record's
 * `recomputed` register (docs/sync-protocol.md §9) and queues its patch. The execution record
 * keeps the recording's figures. False when the session has no record to recompute.
 */
export async function recomputeSession(d: HrmDatabase, row: SessionRow, value: Recomputation, now: number, newId: NewId = randomUuid): Promise<boolean> {
  if (!row.record?.execution) return false;
  const hlc = await stampHlc(d, now);
  const record = patchSession(row.record, 'recomputed', value, hlc) as LiveSession;
  if (row.owner) {
    await d.outbox.add({
      id: newId(),
      owner: row.owner,
      sessionId: record.id,
      attempts: 0,
      type: 'session.patch',
      mutation: { id: '', type: 'session.patch', sessionId: record.id, field: 'recomputed', value, hlc },
    } as OutboxRow);
  }
  await d.sessions.update(row.id, { record, updatedAt: now });
  return true;
}

/** Drops a session's rows, its chunks and its unsent mutations (not the tombstone). */
export async function dropSessionLocally(d: HrmDatabase, localId: string, syncId: string | undefined): Promise<void> {
  await d.chunks.where('sessionId').equals(localId).delete();
  await d.sessions.delete(localId);
  if (syncId) {
    if (syncId !== localId) await d.chunks.where('sessionId').equals(syncId).delete();
    await d.outbox.where('sessionId').equals(syncId).delete();
  }
}

/** A delete on this device: a member's session leaves a tombstone and a queued session.delete. */
export async function deleteSessionLocally(d: HrmDatabase, row: SessionRow, now: number, newId: NewId = randomUuid): Promise<void> {
  await dropSessionLocally(d, row.id, row.syncId);
  if (!row.owner || !row.syncId) return;
  const hlc = await stampHlc(d, now);
  await d.tombstones.put({ id: row.syncId, owner: row.owner, deletedAt: hlc });
  await d.outbox.add({
    id: newId(),
    owner: row.owner,
    sessionId: row.syncId,
    attempts: 0,
    type: 'session.delete',
    mutation: { id: '', type: 'session.delete', sessionId: row.syncId, hlc },
  } as OutboxRow);
}
