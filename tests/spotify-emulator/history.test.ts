import { describe, expect, it } from 'vitest';
import type { Playable } from './catalog';
import { addEntry, HISTORY_CAP, parseHistoryQuery, queryHistory, type HistoryEntry } from './history';

const item: Playable = { kind: 'track', id: 't', name: 'T', durationMs: 1000, artists: [], album: '' };

function history(count: number, now = 1_000_000): HistoryEntry[] {
  let entries: HistoryEntry[] = [];
  for (let i = 1; i <= count; i++) entries = addEntry(entries, { item, playedAt: i * 1000, visibleAt: i * 1000, context: null }, now);
  return entries;
}

describe('recently-played history (P12, P13)', () => {
  it('retains at most 50 visible entries, dropping the oldest', () => {
    const entries = history(60);
    const page = queryHistory(entries, 1_000_000, { limit: 50, after: null, before: null });
    expect(page.items).toHaveLength(HISTORY_CAP);
    expect(page.items[0]!.playedAt).toBe(60_000);
    expect(page.items.at(-1)!.playedAt).toBe(11_000);
  });

  it('validates limit, and after/before exclusivity', () => {
    expect(parseHistoryQuery({})).toEqual({ limit: 20, after: null, before: null });
    expect(parseHistoryQuery({ limit: '0' })).toBe('Invalid limit');
    expect(parseHistoryQuery({ limit: '51' })).toBe('Invalid limit');
    expect(parseHistoryQuery({ limit: 'x' })).toBe('Invalid limit');
    expect(parseHistoryQuery({ after: '1', before: '2' })).toBe('Only one of after or before may be specified');
    expect(parseHistoryQuery({ after: 'yesterday' })).toBe('Invalid cursor');
  });

  it('after is exclusive and returns the entries closest to the cursor, newest first', () => {
    const page = queryHistory(history(10), 1_000_000, { limit: 3, after: 5000, before: null });
    expect(page.items.map((e) => e.playedAt)).toEqual([8000, 7000, 6000]);
    expect(page.cursors).toEqual({ after: '8000', before: '6000' });
  });

  it('before is exclusive, newest first; no items means null cursors', () => {
    const page = queryHistory(history(10), 1_000_000, { limit: 2, after: null, before: 5000 });
    expect(page.items.map((e) => e.playedAt)).toEqual([4000, 3000]);
    const empty = queryHistory(history(10), 1_000_000, { limit: 2, after: 10_000, before: null });
    expect(empty).toEqual({ items: [], cursors: null, total: 10 });
  });

  it('hides entries until their visibleAt (ingestion lag)', () => {
    const entries = addEntry([], { item, playedAt: 1000, visibleAt: 61_000, context: null }, 1000);
    expect(queryHistory(entries, 60_000, { limit: 20, after: null, before: null }).items).toHaveLength(0);
    expect(queryHistory(entries, 61_000, { limit: 20, after: null, before: null }).items).toHaveLength(1);
  });
});
