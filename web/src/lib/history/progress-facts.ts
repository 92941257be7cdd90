/**
 * What progress (core/history) reads of one stored session: the figures it stored when it
 * finished, never recomputed here. The synced record comes first, as on the detail screen
 * (executed.ts): the member's recomputation when there is one, else the recording's execution
 * summary; a session from an older version falls back to the row's summary. A session still
 * recording (or pulled without its figures yet) has none and is left out. The history list reads
 * the same figures from the summary index (storage/session-facts.ts), not from rows.
 */
import { factsFromSummary, type IsoWeekday, type SessionFacts } from '$core/history';
import type { PersonalSettings } from '$core/sync';
import { storedFigures } from '$lib/storage/session-facts';
import type { SessionRow } from '$lib/storage/schema';
import { sessionTzOffsetMinutes } from './export-session';

export { storedFigures };

/** Null for a session without stored figures. `deviceOffset` is only for rows that lack one. */
export function sessionFacts(row: SessionRow, deviceOffset?: (ms: number) => number): SessionFacts | null {
  const figures = storedFigures(row);
  if (!figures) return null;
  return factsFromSummary(
    { id: row.syncId ?? row.id, title: row.title, startedAt: row.startedAt, tzOffsetMinutes: sessionTzOffsetMinutes(row, deviceOffset) },
    figures,
  );
}

/**
 * The first day of the week in `locale` (Intl.Locale weekInfo, as ISO weekday), Monday where the
 * browser does not say. Chromium has `getWeekInfo()`; older engines the `weekInfo` getter.
 */
export function localeFirstDay(locale: string | undefined): IsoWeekday {
  if (!locale) return 1;
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const day = l.getWeekInfo?.().firstDay ?? l.weekInfo?.firstDay;
    return typeof day === 'number' && day >= 1 && day <= 7 ? (day as IsoWeekday) : 1;
  } catch {
    return 1;
  }
}

/**
 * The week history groups by: the member's synced setting, so every device groups the same;
 * the device locale's first day until the member chose one.
 */
export function memberFirstDay(settings: Pick<PersonalSettings, 'firstDayOfWeek'>, locale: string | undefined): IsoWeekday {
  return settings.firstDayOfWeek ?? localeFirstDay(locale);
}
