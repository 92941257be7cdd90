import type { ConnectionEffect, GapReason, OpenGap } from './connection-types';
import type { HeartRateMeasurement } from './measurement';

/**
 * Gap bookkeeping shared by every link state. Invariant: a 'start' is followed by exactly one
 * 'end' before the next 'start', so the recorder can mark spans without inventing samples.
 */
export interface GapStep {
  gap: OpenGap | null;
  effects: ConnectionEffect[];
}

export function openGap(gap: OpenGap | null, reason: GapReason, at: number): GapStep {
  if (gap !== null) return { gap, effects: [] };
  return { gap: { reason, since: at }, effects: [{ type: 'report-gap', edge: 'start', reason, at }] };
}

export function closeGap(gap: OpenGap | null, at: number): GapStep {
  if (gap === null) return { gap, effects: [] };
  return { gap: null, effects: [{ type: 'report-gap', edge: 'end', reason: gap.reason, at }] };
}

/**
 * A notification ends a gap only if it carries a reading: HRS 1.0 §3.1 gives 0 bpm no meaning as
 * a rate, and Sensor Contact Status "not detected" says the value is not from skin.
 */
export function gapAfterReading(
  gap: OpenGap | null,
  measurement: Pick<HeartRateMeasurement, 'bpm' | 'contact'>,
  at: number,
): GapStep {
  if (measurement.contact === 'not-detected') return openGap(gap, 'no-contact', at);
  if (measurement.bpm === 0) return openGap(gap, 'no-reading', at);
  return closeGap(gap, at);
}
