import type { GapReason } from './connection-types';
import type { HeartRateMeasurement } from './measurement';

/**
 * What the strap layer hands to whoever listens (the live view, the workout recorder,
 * class mode): every decoded notification with its receive time, and gaps as gaps — a
 * disconnect, a silence, a 0 bpm reading or lost skin contact is reported, never filled in.
 * Real and simulated straps emit exactly the same events.
 */
export interface HeartRateReading extends HeartRateMeasurement {
  /** Receive time, ms since the epoch (the device's clock, taken when the notification arrived). */
  t: number;
}

export type StrapEvent =
  | { type: 'reading'; reading: HeartRateReading }
  | { type: 'gap-start'; reason: GapReason; at: number }
  | { type: 'gap-end'; reason: GapReason; at: number };

export type ReadingSink = (event: StrapEvent) => void;

/** Something that produces strap events; subscribe returns the unsubscribe function. */
export interface StrapEventSource {
  subscribe(sink: ReadingSink): () => void;
}
