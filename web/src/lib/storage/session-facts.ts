/**
 * The summary index (database version 4): table `sessionFacts` holds, per finished session row,
 * the few stored figures progress needs (core/history SessionFacts), about 300 bytes instead of
 * the row's ~9 KB (plan, timer, phases, summary, sync record). History reads this table in one
 * `getAll`; the session rows themselves are never loaded or decoded for progress.
 *
 * It is derived, never written by hand: `summaryIndexMiddleware` (a Dexie DBCore middleware)
 * writes it in the same IndexedDB transaction as every write to `sessions` (recorded, finished,
 * synced, edited, recomputed, deleted), so no writer can forget it or leave it out of step; the
 * version 4 upgrade fills it for rows stored before. A row with no stored figures (still
 * recording, or pulled without them) has no entry.
 */
import { factsFromSummary, type SessionFacts, type SummaryFigures } from '$core/history';
import type { DBCore, DBCoreMutateRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import type { SessionRow } from './schema';

export const FACTS_TABLE = 'sessionFacts';

/** SessionFacts as stored; `tz` null: recorded without an offset (the device's is used when read). */
interface CompactFacts {
  /** The address history links use (wire id, or the row id of an unsynced session). */
  id: string;
  title: string;
  tz: number | null;
  durationMs: number;
  zones: readonly number[];
  trimp: number | null;
  maxBpm: number | null;
  drop: number | null;
}

/** One `sessionFacts` row: keyed by the session's row id (SessionRow.id). */
export interface SessionFactsRow {
  id: string;
  startedAt: number;
  f: CompactFacts;
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

/** The index row of a session; undefined when it has no stored figures. */
export function factsRowOf(row: SessionRow): SessionFactsRow | undefined {
  const figures = storedFigures(row);
  if (!figures || !Number.isFinite(row.startedAt)) return undefined;
  const f = factsFromSummary({ id: row.syncId ?? row.id, title: row.title ?? '', startedAt: row.startedAt, tzOffsetMinutes: 0 }, figures);
  return {
    id: row.id,
    startedAt: row.startedAt,
    f: { id: f.id, title: f.title, tz: recordedTzOffset(row), durationMs: f.durationMs, zones: f.timeInZoneMs, trimp: f.trimp, maxBpm: f.maxBpm, drop: f.bestDropBpm },
  };
}

/** Facts back from an index row; null for a row this version cannot read. */
export function factsFromRow(row: SessionFactsRow, deviceOffset: (ms: number) => number): SessionFacts | null {
  const c = row.f;
  if (!c || typeof c.id !== 'string' || typeof c.durationMs !== 'number' || !Array.isArray(c.zones) || typeof row.startedAt !== 'number') return null;
  return {
    id: c.id,
    title: c.title,
    startedAt: row.startedAt,
    tzOffsetMinutes: c.tz ?? deviceOffset(row.startedAt),
    durationMs: c.durationMs,
    timeInZoneMs: c.zones,
    trimp: c.trimp,
    maxBpm: c.maxBpm,
    bestDropBpm: c.drop,
  };
}

const hasFactsStore = (trans: DBCoreTransaction) => (trans as unknown as IDBTransaction).objectStoreNames?.contains(FACTS_TABLE) ?? false;

/** Writes the index rows that follow a write of `sessions` rows, in the same transaction. */
async function follow(facts: DBCoreTable, trans: DBCoreTransaction, rows: readonly SessionRow[]): Promise<void> {
  const put: SessionFactsRow[] = [];
  const drop: string[] = [];
  for (const row of rows) {
    const f = factsRowOf(row);
    if (f) put.push(f);
    else drop.push(row.id);
  }
  if (put.length > 0) await facts.mutate({ type: 'put', trans, values: put });
  if (drop.length > 0) await facts.mutate({ type: 'delete', trans, keys: drop });
}

/**
 * Keeps `sessionFacts` in step with `sessions`: every read-write transaction on `sessions` also
 * takes `sessionFacts` (so a writer need not name it), and every add, put, delete or range
 * delete of session rows writes the matching index rows in that transaction. Dexie turns
 * update(), modify() and bulkUpdate() into puts of whole rows, so this sees them all. During an
 * upgrade from before version 4 the table does not exist yet: that upgrade fills it at the end.
 */
export const summaryIndexMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'sessionSummaryIndex',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        const widened = mode === 'readwrite' && stores.includes('sessions') && !stores.includes(FACTS_TABLE) ? [...stores, FACTS_TABLE] : stores;
        return down.transaction(widened, mode, options);
      },
      table(name) {
        const table = down.table(name);
        if (name !== 'sessions') return table;
        return {
          ...table,
          async mutate(req: DBCoreMutateRequest) {
            const result = await table.mutate(req);
            if (!hasFactsStore(req.trans)) return result;
            const facts = down.table(FACTS_TABLE);
            if (req.type === 'add' || req.type === 'put') {
              const failed = new Set(Object.keys(result.failures).map(Number));
              await follow(facts, req.trans, (req.values as SessionRow[]).filter((_, i) => !failed.has(i)));
            } else if (req.type === 'delete') {
              await facts.mutate({ type: 'delete', trans: req.trans, keys: req.keys });
            } else if (req.type === 'deleteRange') {
              await facts.mutate({ type: 'deleteRange', trans: req.trans, range: req.range });
            }
            return result;
          },
        };
      },
    };
  },
};
