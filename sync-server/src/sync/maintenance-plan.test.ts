import { describe, expect, it } from 'vitest';
import { planExpired } from './fresh-commit';
import { isEmptyPurge, mayContinue, membersToVisit, NO_WRITES, pbDateTime, trimCutoff } from './maintenance-plan';

describe('maintenance planning', () => {
  it('visits each member once, oldest first, both kinds of expired rows interleaved, up to the limit', () => {
    expect(membersToVisit([['a', 'a', 'a', 'b'], ['c', 'a', 'd']], 10)).toEqual(['a', 'c', 'd', 'b']);
    expect(membersToVisit([['a', 'b', 'c'], ['x', 'y']], 3)).toEqual(['a', 'x', 'b']);
    expect(membersToVisit([[], []], 5)).toEqual([]);
    // A member with many expired tombstones does not hide the owners of expired mutation ids.
    expect(membersToVisit([Array(200).fill('busy'), ['quiet']], 200)).toEqual(['busy', 'quiet']);
  });

  it('a purge-only commit writes nothing but the purge', () => {
    expect(NO_WRITES.sessions.size + NO_WRITES.chunks.size + NO_WRITES.deletedChunks.length + NO_WRITES.applied.length + NO_WRITES.bytesDelta).toBe(0);
    expect(isEmptyPurge({ tombstones: [], mutations: [] })).toBe(true);
    expect(isEmptyPurge({ tombstones: [], mutations: ['m'] })).toBe(false);
    expect(isEmptyPurge({ tombstones: [{ sessionId: 's', seq: 1, bytes: 10 }], mutations: [] })).toBe(false);
  });

  it('formats instants as PocketBase datetimes, which compare as text in time order', () => {
    expect(pbDateTime(Date.UTC(2026, 10, 24, 1, 48, 0, 632))).toBe('2026-11-24 01:48:00.632Z');
    const a = pbDateTime(Date.UTC(2026, 0, 2, 9));
    const b = pbDateTime(Date.UTC(2026, 0, 2, 10));
    expect(a < b).toBe(true);
  });

  it('trims rows created before now minus the retention', () => {
    expect(trimCutoff(100_000_000, 86_400_000)).toBe(13_600_000);
  });

  it('a plan may be sent only within its maximum age', () => {
    expect(planExpired(1000, 31_000, 30_000)).toBe(false);
    expect(planExpired(1000, 31_001, 30_000)).toBe(true);
  });

  it('a pass continues within its budget until stopped', () => {
    expect(mayContinue(0, 59_999, 60_000, false)).toBe(true);
    expect(mayContinue(0, 60_000, 60_000, false)).toBe(false);
    expect(mayContinue(0, 1, 60_000, true)).toBe(false);
  });
});
