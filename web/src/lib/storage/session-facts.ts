/**
 * The summary index (database version 4): each finished session row carries `facts`, the few
 * stored figures progress needs (core/history SessionFacts), as an IndexedDB key
 * `[startedAt, json]`, and the `facts` index holds it. History reads the index's keys only
 * (`orderBy('facts').keys()`, an IndexedDB key cursor): the rows themselves (about 9 KB each,
 * with plan, timer, phases, summary and sync record) are never loaded or decoded for progress.
 *
 * `facts` is derived, never written by hand: `withSummaryIndex` (a Dexie DBCore middleware)
 * sets it on every row written to `sessions` (recorded, finished, synced, edited, recomputed),
 * so no writer can forget it; the version 4 upgrade fills it for rows stored before.
 * A row with no stored figures (still recording, or pulled without them) has none and is not
 * in the index (IndexedDB leaves a row out of an index whose key path is missing).
 */
import { factsFromSummary, type SessionFacts, type SummaryFigures } from '$core/history';
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import type { SessionRow } from './schema';

/** [startedAt, JSON of CompactFacts]: newest-first order comes from the key itself. */
export type SummaryKey = [number, string];

/** SessionFacts as stored; `tz` null: recorded without an offset (the device's is used when read). */
interface CompactFacts {
  id: string;
  title: string;
  tz: number | null;
  durationMs: number;
  zones: readonly number[];
  trimp: number | null;
  maxBpm: number | null;
  drop: number | null;
}

/** The figures a session stored when it finished: the synced record first (executed.ts order). */
export function storedFigures(row: SessionRow): SummaryFigures | null {
  if (row.status !== 'finished') return null;
  return row.record?.recomputed?.value.summary ?? row.record?.execution?.summary ?? row.summary ?? null;
}

/** The offset recorded with the session, if any (the execution record's first). */
export function recordedTzOffset(row: SessionRow): number | null {
  const recorded = row.record?.execution?.tzOffsetMinutes ?? row.tzOffsetMinutes;
  return typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : null;
}

/** The index key of a row; undefined when it has no stored figures (or no valid start). */
export function summaryKeyOf(row: SessionRow): SummaryKey | undefined {
  const figures = storedFigures(row);
  if (!figures || !Number.isFinite(row.startedAt)) return undefined;
  const f = factsFromSummary({ id: row.syncId ?? row.id, title: row.title ?? '', startedAt: row.startedAt, tzOffsetMinutes: 0 }, figures);
  const compact: CompactFacts = {
    id: f.id,
    title: f.title,
    tz: recordedTzOffset(row),
    durationMs: f.durationMs,
    zones: f.timeInZoneMs,
    trimp: f.trimp,
    maxBpm: f.maxBpm,
    drop: f.bestDropBpm,
  };
  return [row.startedAt, JSON.stringify(compact)];
}

/** Facts back from an index key; null for a key this version cannot read. */
export function factsFromSummaryKey(key: unknown, deviceOffset: (ms: number) => number): SessionFacts | null {
  if (!Array.isArray(key) || typeof key[0] !== 'number' || typeof key[1] !== 'string') return null;
  try {
    const c = JSON.parse(key[1]) as CompactFacts;
    if (typeof c.id !== 'string' || typeof c.durationMs !== 'number' || !Array.isArray(c.zones)) return null;
    const startedAt = key[0];
    return {
      id: c.id,
      title: c.title,
      startedAt,
      tzOffsetMinutes: c.tz ?? deviceOffset(startedAt),
      durationMs: c.durationMs,
      timeInZoneMs: c.zones,
      trimp: c.trimp,
      maxBpm: c.maxBpm,
      bestDropBpm: c.drop,
    };
  } catch {
    return null;
  }
}

/** A copy of the row with its `facts` key set (or removed). */
export function withFacts<T extends SessionRow>(row: T): T {
  const facts = summaryKeyOf(row);
  const { facts: _old, ...rest } = row;
  return (facts ? { ...rest, facts } : rest) as T;
}

/**
 * Keeps `sessions.facts` in step with every write: each added or put session row gets its key
 * computed from the row being written. Dexie turns update(), modify() and bulkUpdate() into puts
 * of whole rows, so this sees them all. The optimisation hints (criteria, changeSpec, updates)
 * are dropped from a request it changed: they would no longer describe the values exactly.
 */
export const summaryIndexMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'sessionSummaryIndex',
  create(down) {
    return {
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== 'sessions') return table;
        return {
          ...table,
          mutate(req: DBCoreMutateRequest) {
            if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
            const values = req.values.map((v) => withFacts(v as SessionRow));
            if (req.type === 'add') return table.mutate({ ...req, values });
            const { criteria: _c, changeSpec: _s, updates: _u, ...rest } = req;
            return table.mutate({ ...rest, values });
          },
        };
      },
    };
  },
};
