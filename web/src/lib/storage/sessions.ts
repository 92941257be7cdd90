/**
 * Recorded workouts in IndexedDB: the read API for history, detail and export screens, and the
 * small write API the recorder uses. Every write is one short transaction; nothing here awaits
 * anything but Dexie inside a transaction (stack-notes).
 */
import type { SessionFacts } from '$core/history';
import { phaseHistory, type PhaseSpan, type Recomputation } from '$core/workout';
import type { HrmDatabase } from './database';
import { deleteSessionLocally, editSession, outboxTables, randomUuid, recomputeSession, type NewId } from './outbox';
import { decodeReadings, type RecordedReading } from './readings';
import type { ChunkRow, SessionRow } from './schema';
import { factsFromRow } from './session-facts';

export interface SessionPage {
  sessions: SessionRow[];
  /** More sessions exist after this page. */
  hasMore: boolean;
}

export interface SessionWithReadings {
  session: SessionRow;
  /** Phases actually run; for a session still recording, computed up to its last write. */
  phases: PhaseSpan[];
  /** Every stored reading in time order (bpm-0 rows are gap markers). */
  readings: RecordedReading[];
  /** Chunks whose bytes could not be decoded (should be 0). */
  corruptChunks: number;
}

export type SessionUpdateResult = 'updated' | 'not-found';
export type SessionDeleteResult = 'deleted' | 'not-found';

export interface SessionStore {
  /** Newest first (by start time). */
  list(options?: { limit?: number; offset?: number }): Promise<SessionPage>;
  count(): Promise<number>;
  /**
   * Progress figures of every finished session, oldest first, from the summary index alone (session-facts.ts:
   * one read of small rows, no session row is loaded). `deviceOffset` dates rows recorded without a zone offset.
   */
  progressFacts(deviceOffset: (ms: number) => number): Promise<SessionFacts[]>;
  /** By wire id (the address every device shares) or by this device's row id. */
  get(id: string): Promise<SessionRow | null>;
  /** One session with its phases and all its readings; null when it does not exist. */
  getWithReadings(id: string): Promise<SessionWithReadings | null>;
  readings(id: string): Promise<RecordedReading[]>;
  update(id: string, patch: { title?: string; notes?: string }): Promise<SessionUpdateResult>;
  /** Stores figures computed again with another profile (the recording's stay in its record). */
  recompute(id: string, value: Recomputation): Promise<SessionUpdateResult>;
  /** Deletes the session and its readings in one transaction. */
  delete(id: string): Promise<SessionDeleteResult>;
  /** Sessions cut off while recording (crash, closed tab, reload), newest first. */
  unfinished(): Promise<SessionRow[]>;
}

export const DEFAULT_PAGE_SIZE = 20;

function decodeAll(chunks: ChunkRow[]): { readings: RecordedReading[]; corrupt: number } {
  const readings: RecordedReading[] = [];
  let corrupt = 0;
  for (const chunk of chunks) {
    const decoded = decodeReadings(chunk.data);
    if (decoded) readings.push(...decoded);
    else corrupt++;
  }
  return { readings: readings.sort((a, b) => a.t - b.t), corrupt };
}

/**
 * A session by its address: the wire id (the same on every device, what history links use) or
 * this device's row id (older links, the recorder's own references).
 */
async function rowByAddress(d: HrmDatabase, id: string): Promise<SessionRow | undefined> {
  return (await d.sessions.get(id)) ?? (await d.sessions.where('syncId').equals(id).first());
}

async function chunksOf(db: HrmDatabase, id: string): Promise<ChunkRow[]> {
  return db.chunks.where('[sessionId+seq]').between([id, 0], [id, Infinity]).toArray();
}

export function createSessionStore(db: () => HrmDatabase, now: () => number = Date.now, newId: NewId = randomUuid): SessionStore {
  return {
    async list({ limit = DEFAULT_PAGE_SIZE, offset = 0 } = {}) {
      const rows = await db().sessions.orderBy('startedAt').reverse().offset(offset).limit(limit + 1).toArray();
      return { sessions: rows.slice(0, limit), hasMore: rows.length > limit };
    },
    async count() {
      return db().sessions.count();
    },
    async progressFacts(deviceOffset) {
      const facts: SessionFacts[] = [];
      for (const row of await db().sessionFacts.toArray()) {
        const f = factsFromRow(row, deviceOffset);
        if (f) facts.push(f);
      }
      return facts.sort((a, b) => a.startedAt - b.startedAt);
    },
    async get(id) {
      return (await rowByAddress(db(), id)) ?? null;
    },
    async getWithReadings(id) {
      const d = db();
      return d.transaction('r', d.sessions, d.chunks, async () => {
        const session = await rowByAddress(d, id);
        if (!session) return null;
        const { readings, corrupt } = decodeAll(await chunksOf(d, session.id));
        const phases = session.status === 'finished' ? session.phases : phaseHistory(session.timer, session.lastWriteAt);
        return { session, phases, readings, corruptChunks: corrupt };
      });
    },
    async readings(id) {
      return decodeAll(await chunksOf(db(), id)).readings;
    },
    // Edits and deletes of a member's session queue their sync mutation in the same
    // transaction (outbox.ts).
    async update(id, patch) {
      const d = db();
      return d.transaction('rw', outboxTables(d), async () => {
        const row = await rowByAddress(d, id);
        if (!row) return 'not-found' as const;
        await editSession(d, row, { title: patch.title?.trim(), notes: patch.notes }, now(), newId);
        return 'updated' as const;
      });
    },
    async recompute(id, value) {
      const d = db();
      return d.transaction('rw', outboxTables(d), async () => {
        const row = await rowByAddress(d, id);
        if (!row || !(await recomputeSession(d, row, value, now(), newId))) return 'not-found' as const;
        return 'updated' as const;
      });
    },
    async delete(id) {
      const d = db();
      return d.transaction('rw', outboxTables(d), async () => {
        const row = await rowByAddress(d, id);
        if (!row) {
          await d.chunks.where('sessionId').equals(id).delete();
          return 'not-found' as const;
        }
        await deleteSessionLocally(d, row, now(), newId);
        return 'deleted' as const;
      });
    },
    async unfinished() {
      const rows = await db().sessions.where('status').equals('recording').toArray();
      return rows.sort((a, b) => b.startedAt - a.startedAt);
    },
  };
}
