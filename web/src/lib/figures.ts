/**
 * How every workout figure is shown, one function per figure, used by every screen (live
 * workout, its summary, history, class mode) so one workout reads the same everywhere.
 */

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
  return dropBpm === null || dropBpm === undefined ? '—' : `${signedWhole(dropBpm)} bpm`;
}
