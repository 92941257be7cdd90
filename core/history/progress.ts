/**
 * Training progress from stored session summaries: weekly totals, a trend over weeks and
 * personal records. Pure: it never sees readings, only the figures each session stored when it
 * finished (core/workout WorkoutSummary / the synced execution record), so every device that
 * holds the same synced summaries shows the same numbers.
 *
 * Weeks are calendar weeks in the session's own local time: a session belongs to the local
 * calendar day `floor((startedAt + tzOffsetMinutes·60 000) / 86 400 000)` (its zone offset as
 * recorded at its start), and a week is the 7 local days from the member's first day of the week.
 * Everything is counted in whole local days, never as "week start instant + 7 × 24 h", so a DST
 * change inside a week (a 23 h or 25 h day) moves no session into the wrong week, and a session
 * recorded in another zone lands in the week its own clock said.
 *
 * Day numbers: days since 1970-01-01 (a Thursday) in local time; weekdays are ISO numbers
 * (1 = Monday … 7 = Sunday), as Intl.Locale's weekInfo.firstDay gives them.
 */
import type { StoredSummary } from '../workout';

export const DAY_MS = 86_400_000;
/** Zones 0 (Rest) to 5, as core/workout timeInZones counts them. */
export const ZONE_COUNT = 6;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const DEFAULT_FIRST_DAY: IsoWeekday = 1;

/** What progress needs of one finished session: its stored figures, nothing computed here. */
export interface SessionFacts {
  /** The address history links use (wire id, or the row id of an unsynced guest's session). */
  id: string;
  title: string;
  startedAt: number;
  /** Local time minus UTC at the start, minutes (as recorded with the session). */
  tzOffsetMinutes: number;
  durationMs: number;
  /** ms in zones 0..5 (shorter arrays are read as 0 for the missing zones). */
  timeInZoneMs: readonly number[];
  /** Banister TRIMP; null when the summary had none. */
  trimp: number | null;
  /** Highest valid heart rate; null without heart rate. */
  maxBpm: number | null;
  /** Largest stored rest drop (RestStats.dropBpm) of the session; null when it has no rest with one. */
  bestDropBpm: number | null;
}

/** The summary fields progress reads: a WorkoutSummary or the synced StoredSummary both fit. */
export type SummaryFigures = Pick<StoredSummary, 'durationMs' | 'timeInZoneMs' | 'trimp' | 'heartRate'> & {
  intervals: ReadonlyArray<{ kind: 'work' | 'rest'; dropBpm?: number | null }>;
};

/** A session's facts from its stored summary, read as stored (nothing recomputed). */
export function factsFromSummary(session: Omit<SessionFacts, 'durationMs' | 'timeInZoneMs' | 'trimp' | 'maxBpm' | 'bestDropBpm'>, summary: SummaryFigures): SessionFacts {
  let bestDropBpm: number | null = null;
  for (const i of summary.intervals) {
    if (i.kind === 'rest' && typeof i.dropBpm === 'number' && (bestDropBpm === null || i.dropBpm > bestDropBpm)) bestDropBpm = i.dropBpm;
  }
  return {
    ...session,
    durationMs: summary.durationMs,
    timeInZoneMs: summary.timeInZoneMs,
    trimp: summary.trimp?.value ?? null,
    maxBpm: summary.heartRate?.maxBpm ?? null,
    bestDropBpm,
  };
}

/** Local calendar day of an instant recorded with `tzOffsetMinutes`. */
export function localDay(ms: number, tzOffsetMinutes: number): number {
  return Math.floor((ms + tzOffsetMinutes * 60_000) / DAY_MS);
}

/** ISO weekday of a day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): IsoWeekday {
  return ((((day + 3) % 7) + 7) % 7) + 1 as IsoWeekday;
}

/** The day number that starts the week holding `day`. */
export function weekStartDay(day: number, firstDay: IsoWeekday = DEFAULT_FIRST_DAY): number {
  return day - ((weekdayOf(day) - firstDay + 7) % 7);
}

/** The first day of a day number as a UTC calendar date (for labels: format it in UTC). */
export function dayToUtcMs(day: number): number {
  return day * DAY_MS;
}

export interface WeekTotals {
  /** Day number of the week's first day. */
  startDay: number;
  sessions: number;
  durationMs: number;
  /** ms in zones 0..5. */
  timeInZoneMs: number[];
  trimp: number;
}

function emptyWeek(startDay: number): WeekTotals {
  return { startDay, sessions: 0, durationMs: 0, timeInZoneMs: new Array<number>(ZONE_COUNT).fill(0), trimp: 0 };
}

function add(week: WeekTotals, s: SessionFacts): void {
  week.sessions++;
  week.durationMs += s.durationMs;
  for (let z = 0; z < ZONE_COUNT; z++) week.timeInZoneMs[z]! += s.timeInZoneMs[z] ?? 0;
  week.trimp += s.trimp ?? 0;
}

export interface WeeksOptions {
  /** How many weeks, ending with the week of `today` (oldest first in the result). */
  weeks: number;
  /** Today's local day number (localDay(now, the device's current offset)). */
  today: number;
  firstDay?: IsoWeekday;
}

/**
 * Totals of the `weeks` calendar weeks up to and including today's, oldest first, one entry per
 * week even when it has no session (a trend shows the empty weeks too). Sessions outside the
 * range are left out.
 */
export function weeklyTotals(sessions: Iterable<SessionFacts>, o: WeeksOptions): WeekTotals[] {
  const firstDay = o.firstDay ?? DEFAULT_FIRST_DAY;
  const n = Math.max(1, Math.floor(o.weeks));
  const lastStart = weekStartDay(o.today, firstDay);
  const firstStart = lastStart - (n - 1) * 7;
  const weeks = Array.from({ length: n }, (_, i) => emptyWeek(firstStart + i * 7));
  for (const s of sessions) {
    const start = weekStartDay(localDay(s.startedAt, s.tzOffsetMinutes), firstDay);
    if (start < firstStart || start > lastStart) continue;
    add(weeks[(start - firstStart) / 7]!, s);
  }
  return weeks;
}

export interface PersonalRecord {
  value: number;
  sessionId: string;
  title: string;
  startedAt: number;
  tzOffsetMinutes: number;
}

export interface PersonalRecords {
  maxBpm: PersonalRecord | null;
  /** Largest heart-rate drop over one rest (stored RestStats.dropBpm), bpm. */
  bestRecoveryBpm: PersonalRecord | null;
  longestMs: PersonalRecord | null;
}

/**
 * The best of each figure. A tie goes to the session that set it first (the earliest start,
 * then the smaller id), so the record holder never depends on the order sessions were loaded.
 */
export function personalRecords(sessions: Iterable<SessionFacts>): PersonalRecords {
  const records: PersonalRecords = { maxBpm: null, bestRecoveryBpm: null, longestMs: null };
  const consider = (key: keyof PersonalRecords, value: number | null, s: SessionFacts) => {
    if (value === null || !Number.isFinite(value)) return;
    const held = records[key];
    const better =
      !held ||
      value > held.value ||
      (value === held.value && (s.startedAt < held.startedAt || (s.startedAt === held.startedAt && s.id < held.sessionId)));
    if (better) records[key] = { value, sessionId: s.id, title: s.title, startedAt: s.startedAt, tzOffsetMinutes: s.tzOffsetMinutes };
  };
  for (const s of sessions) {
    consider('maxBpm', s.maxBpm, s);
    // A "recovery" that is a rise (negative drop) is no record.
    consider('bestRecoveryBpm', s.bestDropBpm !== null && s.bestDropBpm > 0 ? s.bestDropBpm : null, s);
    consider('longestMs', s.durationMs > 0 ? s.durationMs : null, s);
  }
  return records;
}
