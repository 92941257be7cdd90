/**
 * How every workout figure is shown, one function per figure, used by every screen (live
 * workout, its summary, history, class mode), so one workout reads the same wherever it is
 * opened. Numbers only: the markup adds the unit, except for the signed rest drop. Absent
 * values read "—".
 *
 * Precision, chosen once: heart rate and calories whole (calories rounded as the exports round
 * them); TRIMP one decimal (a short workout scores under 10); RMSSD whole milliseconds (the
 * strap's RR resolution is 1/1024 s, and readers compare whole ms across days).
 */

const ABSENT = '—';
const absent = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || Number.isNaN(n);

/**
 * Every duration: "m:ss" under an hour, "h:mm:ss" from an hour. Truncated to the whole second
 * (a stopwatch shows the seconds completed), so 84.9 s is "1:24" on every screen.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Time left, the one duration rounded up: 0.2 s left reads "0:01", never "0:00" early. */
export function formatCountdown(ms: number): string {
  return formatDuration(Math.ceil(Math.max(0, ms) / 1000) * 1000);
}

/** Heart rate, whole bpm. */
export function formatBpm(bpm: number | null | undefined): string {
  return absent(bpm) ? ABSENT : String(Math.round(bpm));
}

/** Calories, whole kcal (the FIT and TCX files carry the same rounded total). */
export function formatKcal(kcal: number | null | undefined): string {
  return absent(kcal) ? ABSENT : String(Math.round(kcal));
}

/** Banister TRIMP, one decimal. */
export function formatTrimp(trimp: number | null | undefined): string {
  return absent(trimp) ? ABSENT : trimp.toFixed(1);
}

/** RMSSD, whole milliseconds. */
export function formatRmssd(rmssdMs: number | null | undefined): string {
  return absent(rmssdMs) ? ABSENT : String(Math.round(rmssdMs));
}

/** A signed whole number with a real minus sign (U+2212), and no "−0" after rounding. */
function signedWhole(n: number): string {
  const r = Math.round(n);
  return r < 0 ? `−${-r}` : String(Math.abs(r));
}

/**
 * Rest drop (heart-rate recovery over a rest), core/workout RestStats.dropBpm: heart rate at
 * the end of the work bout minus heart rate at the end of the rest, so positive when the heart
 * rate falls ("4 bpm" is a 4 bpm fall) and negative when it rose.
 */
export function formatRestDrop(dropBpm: number | null | undefined): string {
  return absent(dropBpm) ? ABSENT : `${signedWhole(dropBpm)} bpm`;
}
