/** Display helpers for the workout screens. */

/** m:ss (or h:mm:ss) of a duration, rounded down to the second. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A countdown shows the seconds still to go, so 0.2 s left reads "0:01", never "0:00" early. */
export function formatCountdown(ms: number): string {
  return formatDuration(Math.ceil(Math.max(0, ms) / 1000) * 1000);
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 60 ? formatDuration(ms) : `${Math.round(s)} s`;
}

/** Zone colours (background) with dark text on top; zones are always labelled in text too. */
export const ZONE_COLORS: Record<number, string> = {
  0: '#aab3bf',
  1: '#8cc4ff',
  2: '#6fdca6',
  3: '#f6d26b',
  4: '#ffae5c',
  5: '#ff7b7b',
};
