/** Dates from the server are ISO strings (or PocketBase's "YYYY-MM-DD hh:mm:ss.sssZ"). */
export function parseServerDate(value: string): Date | null {
  const date = new Date(value.includes('T') ? value : value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A workout's start, local date and time ("15 Jan 2026, 08:30"). */
export function formatStart(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function formatDateTime(value: string, locale?: string): string {
  const date = parseServerDate(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "2 minutes ago", "3 days ago"; falls back to a date after a month. */
export function formatRelative(value: string, nowMs: number, locale?: string): string {
  const date = parseServerDate(value);
  if (!date) return value;
  const seconds = Math.round((date.getTime() - nowMs) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  return formatDateTime(value, locale);
}
