/**
 * Dates of progress figures. Day numbers (core/history) are local calendar days, so they are
 * formatted as UTC dates: the label is the day itself, whatever this device's zone is.
 */
import { DAY_MS, localDay, type IsoWeekday } from '$core/history';

/** "26 Jan" (or the locale's short day and month) of a day number. */
export function formatDay(day: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day * DAY_MS);
}

/** "26": the day of the month, for narrow axis labels. */
export function formatDayOfMonth(day: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', timeZone: 'UTC' }).format(day * DAY_MS);
}

/** "Jan": the short month name. */
export function formatMonth(day: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(day * DAY_MS);
}

/** "26 Jan – 1 Feb" for the week starting on `startDay`. */
export function formatWeek(startDay: number, locale?: string): string {
  return `${formatDay(startDay, locale)} – ${formatDay(startDay + 6, locale)}`;
}

/** A session's date as its own clock showed it ("15 Jan 2026"). */
export function formatSessionDate(startedAt: number, tzOffsetMinutes: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(localDay(startedAt, tzOffsetMinutes) * DAY_MS);
}

/** The name of an ISO weekday (1 = Monday … 7 = Sunday) in `locale`. */
export function weekdayName(day: IsoWeekday, locale?: string): string {
  // 5 January 2026 was a Monday: day 1 + (day − 1).
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));
}
