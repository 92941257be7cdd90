import { describe, expect, it } from 'vitest';
import { factsFromSummary, localDay, personalRecords, weekdayOf, weeklyTotals, weekStartDay, type SessionFacts } from './progress';

const MIN = 60_000;
const DAY = 86_400_000;
/** Day number of a calendar date. */
const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;
/** The UTC instant of a local wall time in a zone `offset` minutes ahead of UTC. */
const local = (y: number, m: number, d: number, h: number, min: number, offset: number) => Date.UTC(y, m - 1, d, h, min) - offset * MIN;

function facts(o: Partial<SessionFacts> & { id: string; startedAt: number }): SessionFacts {
  return { title: o.id, tzOffsetMinutes: 0, durationMs: 30 * MIN, timeInZoneMs: [0, 0, 0, 0, 0, 0], trimp: 10, maxBpm: 170, bestDropBpm: 20, ...o };
}

describe('calendar days and weeks', () => {
  it('numbers weekdays the ISO way (1970-01-01 was a Thursday, 2026-01-19 a Monday)', () => {
    expect(weekdayOf(0)).toBe(4);
    expect(weekdayOf(dayOf(2026, 1, 19))).toBe(1);
    expect(weekdayOf(dayOf(2026, 1, 25))).toBe(7);
    expect(weekdayOf(-1)).toBe(3); // 1969-12-31, a Wednesday
  });

  it('starts weeks on the given first day', () => {
    const wed = dayOf(2026, 1, 21);
    expect(weekStartDay(wed)).toBe(dayOf(2026, 1, 19)); // Monday by default
    expect(weekStartDay(wed, 7)).toBe(dayOf(2026, 1, 18)); // Sunday
    expect(weekStartDay(wed, 6)).toBe(dayOf(2026, 1, 17)); // Saturday
    expect(weekStartDay(dayOf(2026, 1, 18), 1)).toBe(dayOf(2026, 1, 12)); // a Sunday ends a Monday week
    expect(weekStartDay(dayOf(2026, 1, 18), 7)).toBe(dayOf(2026, 1, 18));
  });

  it("takes a session's day from its own recorded offset", () => {
    // 23:30 on Sunday in Berlin (+60) is 22:30 UTC; 00:30 on Monday in Berlin is still Sunday in UTC.
    expect(localDay(local(2026, 1, 25, 23, 30, 60), 60)).toBe(dayOf(2026, 1, 25));
    expect(localDay(local(2026, 1, 26, 0, 30, 60), 60)).toBe(dayOf(2026, 1, 26));
    expect(localDay(local(2026, 1, 26, 0, 30, 60), 0)).toBe(dayOf(2026, 1, 25));
    // Sunday 22:00 in New York (−300) is Monday 03:00 UTC: still Sunday there.
    expect(localDay(local(2026, 1, 25, 22, 0, -300), -300)).toBe(dayOf(2026, 1, 25));
  });
});

describe('weeklyTotals', () => {
  const today = dayOf(2026, 1, 28); // a Wednesday

  it('gives one entry per week, oldest first, with the empty weeks', () => {
    const weeks = weeklyTotals([], { weeks: 12, today });
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)!.startDay).toBe(dayOf(2026, 1, 26));
    expect(weeks[0]!.startDay).toBe(dayOf(2026, 1, 26) - 77);
    expect(weeks.every((w) => w.sessions === 0 && w.durationMs === 0 && w.trimp === 0 && w.timeInZoneMs.length === 6)).toBe(true);
  });

  it('adds time, sessions, zones and TRIMP per week and leaves out sessions outside the range', () => {
    const sessions = [
      facts({ id: 'a', startedAt: local(2026, 1, 26, 7, 0, 60), tzOffsetMinutes: 60, durationMs: 20 * MIN, trimp: 12.5, timeInZoneMs: [1, 2, 3, 4, 5, 6] }),
      facts({ id: 'b', startedAt: local(2026, 1, 27, 18, 0, 60), tzOffsetMinutes: 60, durationMs: 40 * MIN, trimp: null, timeInZoneMs: [10, 20, 30] }),
      facts({ id: 'c', startedAt: local(2026, 1, 25, 23, 30, 60), tzOffsetMinutes: 60, durationMs: 10 * MIN, trimp: 3 }), // Sunday: last week
      facts({ id: 'old', startedAt: local(2025, 6, 1, 9, 0, 120), tzOffsetMinutes: 120 }), // long before the range
      facts({ id: 'future', startedAt: local(2026, 2, 3, 9, 0, 60), tzOffsetMinutes: 60 }), // next week
    ];
    const weeks = weeklyTotals(sessions, { weeks: 4, today });
    expect(weeks.map((w) => w.sessions)).toEqual([0, 0, 1, 2]);
    const now = weeks[3]!;
    expect(now.durationMs).toBe(60 * MIN);
    expect(now.trimp).toBe(12.5);
    expect(now.timeInZoneMs).toEqual([11, 22, 33, 4, 5, 6]);
    expect(weeks[2]!.trimp).toBe(3);
  });

  it('follows the first day of the week', () => {
    const sunday = facts({ id: 'sun', startedAt: local(2026, 1, 25, 10, 0, 0) });
    expect(weeklyTotals([sunday], { weeks: 2, today, firstDay: 1 }).map((w) => w.sessions)).toEqual([1, 0]);
    expect(weeklyTotals([sunday], { weeks: 2, today, firstDay: 7 }).map((w) => w.sessions)).toEqual([0, 1]);
  });

  it('keeps a DST week whole: spring forward (a 23 h Sunday) and fall back (a 25 h Sunday), Berlin', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST. Week of Monday 23 March.
    const spring = [
      facts({ id: 'sat', startedAt: local(2026, 3, 28, 23, 30, 60), tzOffsetMinutes: 60 }),
      facts({ id: 'sun', startedAt: local(2026, 3, 29, 23, 30, 120), tzOffsetMinutes: 120 }),
      // Monday 00:15 CEST is 22:15 UTC on Sunday, before "Monday 00:00 CET + 7 × 24 h": a
      // week counted in hours from its start would still hold it.
      facts({ id: 'mon', startedAt: local(2026, 3, 30, 0, 15, 120), tzOffsetMinutes: 120 }),
    ];
    const s = weeklyTotals(spring, { weeks: 2, today: dayOf(2026, 3, 31) });
    expect(s.map((w) => [w.startDay, w.sessions])).toEqual([
      [dayOf(2026, 3, 23), 2],
      [dayOf(2026, 3, 30), 1],
    ]);
    // 2026-10-25 03:00 CEST → 02:00 CET. Week of Monday 19 October.
    const fall = [
      facts({ id: 'mon0', startedAt: local(2026, 10, 19, 0, 5, 120), tzOffsetMinutes: 120 }),
      facts({ id: 'sunLate', startedAt: local(2026, 10, 25, 23, 50, 60), tzOffsetMinutes: 60 }),
      facts({ id: 'monNext', startedAt: local(2026, 10, 26, 0, 10, 60), tzOffsetMinutes: 60 }),
    ];
    const f = weeklyTotals(fall, { weeks: 3, today: dayOf(2026, 10, 27) });
    expect(f.map((w) => w.sessions)).toEqual([0, 2, 1]);
  });

  it('puts a session recorded in another zone in the week of its own clock', () => {
    // Sunday 22:00 in New York is Monday in Berlin and in UTC: it is Sunday's workout.
    const ny = facts({ id: 'ny', startedAt: local(2026, 1, 25, 22, 0, -300), tzOffsetMinutes: -300 });
    expect(weeklyTotals([ny], { weeks: 2, today }).map((w) => w.sessions)).toEqual([1, 0]);
  });
});

describe('personalRecords', () => {
  it('is empty without sessions', () => {
    expect(personalRecords([])).toEqual({ maxBpm: null, bestRecoveryBpm: null, longestMs: null });
  });

  it('finds the best of each figure and names its session', () => {
    const r = personalRecords([
      facts({ id: 'a', startedAt: 1000, maxBpm: 181, bestDropBpm: 18, durationMs: 40 * MIN }),
      facts({ id: 'b', startedAt: 2000, maxBpm: 176, bestDropBpm: 31, durationMs: 25 * MIN, title: 'Hill repeats' }),
      facts({ id: 'c', startedAt: 3000, maxBpm: null, bestDropBpm: null, durationMs: 75 * MIN }),
    ]);
    expect(r.maxBpm).toMatchObject({ value: 181, sessionId: 'a' });
    expect(r.bestRecoveryBpm).toMatchObject({ value: 31, sessionId: 'b', title: 'Hill repeats', startedAt: 2000 });
    expect(r.longestMs).toMatchObject({ value: 75 * MIN, sessionId: 'c' });
  });

  it('gives a tie to the session that set it first, whatever the order', () => {
    const list = [
      facts({ id: 'late', startedAt: 5000, maxBpm: 190, bestDropBpm: 25, durationMs: 30 * MIN }),
      facts({ id: 'early', startedAt: 1000, maxBpm: 190, bestDropBpm: 25, durationMs: 30 * MIN }),
      facts({ id: 'early2', startedAt: 1000, maxBpm: 190, bestDropBpm: 25, durationMs: 30 * MIN }),
    ];
    for (const order of [list, [...list].reverse(), [list[1]!, list[2]!, list[0]!]]) {
      const r = personalRecords(order);
      expect([r.maxBpm!.sessionId, r.bestRecoveryBpm!.sessionId, r.longestMs!.sessionId]).toEqual(['early', 'early', 'early']);
    }
  });

  it('counts no rise as a recovery and no empty session as the longest', () => {
    const r = personalRecords([facts({ id: 'x', startedAt: 1, bestDropBpm: -4, durationMs: 0, maxBpm: 150 })]);
    expect(r.bestRecoveryBpm).toBeNull();
    expect(r.longestMs).toBeNull();
    expect(r.maxBpm?.value).toBe(150);
  });
});

describe('factsFromSummary', () => {
  it('reads the stored figures: the largest stored rest drop, max heart rate, TRIMP, zones', () => {
    const f = factsFromSummary(
      { id: 's', title: 'T', startedAt: 10, tzOffsetMinutes: 60 },
      {
        durationMs: 1234,
        timeInZoneMs: [1, 2, 3, 4, 5, 6],
        trimp: { value: 7.25, method: 'banister-1991' },
        heartRate: { avgBpm: 150, maxBpm: 183, minBpm: 90, coveredMs: 1000 },
        intervals: [
          { kind: 'work' },
          { kind: 'rest', dropBpm: 12 },
          { kind: 'rest', dropBpm: null },
          { kind: 'rest', dropBpm: 27 },
          { kind: 'rest', dropBpm: -3 },
        ],
      },
    );
    expect(f).toEqual({ id: 's', title: 'T', startedAt: 10, tzOffsetMinutes: 60, durationMs: 1234, timeInZoneMs: [1, 2, 3, 4, 5, 6], trimp: 7.25, maxBpm: 183, bestDropBpm: 27 });
  });

  it('has no recovery without rests and no heart rate without readings', () => {
    const f = factsFromSummary({ id: 's', title: 'T', startedAt: 10, tzOffsetMinutes: 0 }, { durationMs: 5, timeInZoneMs: [], trimp: { value: 0, method: 'banister-1991' }, heartRate: null, intervals: [] });
    expect(f.bestDropBpm).toBeNull();
    expect(f.maxBpm).toBeNull();
  });
});
