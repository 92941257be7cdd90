/** Average, maximum and minimum heart rate over held segments (see readings.ts). */
import type { HeldSegment } from './readings';

export interface HrStats {
  /** Time-weighted: Σ bpm × held time / Σ held time. */
  avgBpm: number;
  maxBpm: number;
  minBpm: number;
  /** Time covered by valid readings (gaps excluded). */
  coveredMs: number;
}

/** Null when no segment has any duration. */
export function hrStats(segments: readonly HeldSegment[]): HrStats | null {
  let weighted = 0;
  let coveredMs = 0;
  let maxBpm = -Infinity;
  let minBpm = Infinity;
  for (const s of segments) {
    const ms = s.to - s.from;
    weighted += s.bpm * ms;
    coveredMs += ms;
    maxBpm = Math.max(maxBpm, s.bpm);
    minBpm = Math.min(minBpm, s.bpm);
  }
  return coveredMs > 0 ? { avgBpm: weighted / coveredMs, maxBpm, minBpm, coveredMs } : null;
}
