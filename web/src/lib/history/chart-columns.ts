/**
 * Downsampling a heart-rate recording to the chart's pixel columns, in one pass: each valid
 * reading holds its value for its held time (core/workout readings.ts: until the next reading,
 * at most `maxHoldMs`), and every column it overlaps records the min, the max and the
 * time-weighted mean. A column no valid reading covers is NaN: the chart draws it as a gap,
 * never as a line across. A 2-hour 1 Hz session is 7200 readings → ~800 columns, O(n + width).
 */
import { DEFAULT_MAX_HOLD_MS, isGap, type Reading } from '$core/workout';

export interface ChartColumns {
  start: number;
  end: number;
  /** Per column; NaN where there is no heart rate. */
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
}

/** `readings` in time order. */
export function chartColumns(readings: readonly Reading[], start: number, end: number, width: number, maxHoldMs = DEFAULT_MAX_HOLD_MS): ChartColumns {
  const n = Math.max(1, Math.floor(width));
  const min = new Float32Array(n).fill(Infinity);
  const max = new Float32Array(n).fill(-Infinity);
  const sum = new Float64Array(n);
  const weight = new Float64Array(n);
  const colMs = (end - start) / n;
  if (colMs > 0) {
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i]!;
      if (isGap(r)) continue;
      const next = readings[i + 1];
      const from = Math.max(r.t, start);
      const to = Math.min(next ? next.t : Infinity, r.t + maxHoldMs, end);
      if (to <= from) continue;
      const first = Math.floor((from - start) / colMs);
      const last = Math.min(n - 1, Math.floor((to - start) / colMs - 1e-9));
      for (let c = first; c <= last; c++) {
        const overlap = Math.min(to, start + (c + 1) * colMs) - Math.max(from, start + c * colMs);
        if (overlap <= 0) continue;
        if (r.bpm < min[c]!) min[c] = r.bpm;
        if (r.bpm > max[c]!) max[c] = r.bpm;
        sum[c]! += r.bpm * overlap;
        weight[c]! += overlap;
      }
    }
  }
  const mean = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    if (weight[c]! > 0) mean[c] = sum[c]! / weight[c]!;
    else mean[c] = min[c] = max[c] = NaN;
  }
  return { start, end, min, max, mean };
}

/** A y range that fits the data with round bounds (multiples of 10 bpm), for the axis. */
export function bpmRange(cols: ChartColumns, floor = 40, ceil = 200): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < cols.min.length; c++) {
    if (Number.isNaN(cols.min[c]!)) continue;
    lo = Math.min(lo, cols.min[c]!);
    hi = Math.max(hi, cols.max[c]!);
  }
  if (lo === Infinity) return { lo: floor, hi: ceil };
  return { lo: Math.max(0, Math.floor((lo - 5) / 10) * 10), hi: Math.ceil((hi + 5) / 10) * 10 };
}
