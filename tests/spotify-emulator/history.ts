/**
 * Recently played (P12–P16): per-user history, newest first, at most 50 retained. Entries carry
 * `visibleAt` to model ingestion lag (P14). Pure functions over an array.
 */
import type { Playable } from './catalog';
import type { PlayContext } from './player';

export const HISTORY_CAP = 50;

export interface HistoryEntry {
  item: Playable;
  playedAt: number;
  visibleAt: number;
  context: PlayContext | null;
}

/** Add an entry, then forget visible entries beyond the 50 newest (older ones fall off, P15). */
export function addEntry(entries: HistoryEntry[], entry: HistoryEntry, now: number): HistoryEntry[] {
  const next = [...entries, entry].sort((a, b) => b.playedAt - a.playedAt);
  const visible = next.filter((e) => e.visibleAt <= now);
  if (visible.length <= HISTORY_CAP) return next;
  const cutoff = visible[HISTORY_CAP - 1]!.playedAt;
  return next.filter((e) => e.visibleAt > now || e.playedAt >= cutoff);
}

export interface HistoryQuery {
  limit: number;
  after: number | null;
  before: number | null;
}

export type QueryProblem = 'Invalid limit' | 'Only one of after or before may be specified' | 'Invalid cursor';

/** Parse query strings per P13: limit 1–50 (default 20); `after` and `before` are exclusive. */
export function parseHistoryQuery(params: {
  limit?: string;
  after?: string;
  before?: string;
}): HistoryQuery | QueryProblem {
  const limit = params.limit === undefined ? 20 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) return 'Invalid limit';
  if (params.after !== undefined && params.before !== undefined) {
    return 'Only one of after or before may be specified';
  }
  const cursor = (v: string | undefined) => (v === undefined ? null : /^\d+$/.test(v) ? Number(v) : NaN);
  const after = cursor(params.after);
  const before = cursor(params.before);
  if (Number.isNaN(after) || Number.isNaN(before)) return 'Invalid cursor';
  return { limit, after, before };
}

export interface HistoryPage {
  items: HistoryEntry[];
  cursors: { after: string; before: string } | null;
  total: number;
}

/**
 * Visible entries, newest first. `after=t`: played_at > t; when more than `limit` match, the
 * ones closest to t are returned (so paging forward by `after` loses nothing; our choice, C).
 * `before=t`: played_at < t, newest first.
 */
export function queryHistory(entries: HistoryEntry[], now: number, q: HistoryQuery): HistoryPage {
  const visible = entries
    .filter((e) => e.visibleAt <= now)
    .sort((a, b) => b.playedAt - a.playedAt)
    .slice(0, HISTORY_CAP);
  let items: HistoryEntry[];
  if (q.after !== null) {
    const after = q.after;
    const matching = visible.filter((e) => e.playedAt > after);
    items = matching.slice(Math.max(0, matching.length - q.limit));
  } else {
    const before = q.before;
    items = visible.filter((e) => before === null || e.playedAt < before).slice(0, q.limit);
  }
  const newest = items[0];
  const oldest = items[items.length - 1];
  const cursors = newest && oldest ? { after: String(newest.playedAt), before: String(oldest.playedAt) } : null;
  return { items, cursors, total: visible.length };
}
