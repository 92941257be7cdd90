/** Time spent in each heart-rate zone. */
import type { HeldSegment } from './readings';
import { zoneFor, type Zone } from './zones';

/** Milliseconds in zones 0 (Rest) to 5, indexed by zone number. */
export function timeInZones(segments: readonly HeldSegment[], zones: readonly Zone[]): number[] {
  const ms = [0, 0, 0, 0, 0, 0];
  for (const s of segments) ms[zoneFor(s.bpm, zones).number]! += s.to - s.from;
  return ms;
}
