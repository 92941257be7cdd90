/**
 * When a provider's rate-limit wait ends, for people: the time alone when it ends today, the
 * weekday and time otherwise (Strava's daily window ends at midnight UTC, which is tomorrow in
 * many places; "until 01:00" alone would read as an hour ago). `now` and `locale` are passed in.
 */
export function waitUntilText(until: string | number, now: number, locale?: string): string {
  const end = new Date(until);
  const time = end.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return end.toDateString() === new Date(now).toDateString() ? time : `${end.toLocaleDateString(locale, { weekday: 'long' })} ${time}`;
}
