/**
 * What an export needs from a recorded workout. The storage layer maps its rows to this shape
 * (web/src/lib/history/export-session.ts does it for the PWA); the encoders never see Dexie.
 */
import type { PhaseKind, Plan, Profile, Reading, WorkoutSummary } from '../workout';

/** One phase actually run (a core/workout PhaseSpan, pieces of a paused phase merged). */
export interface ExportPhase {
  kind: PhaseKind;
  label: string;
  /** Wall time, ms, inclusive. */
  start: number;
  /** Wall time, ms, exclusive. */
  end: number;
  /** Running time in the phase (pauses excluded); `end - start` when absent. */
  activeMs?: number;
}

export interface ExportSession {
  /** Wall time, ms. */
  startedAt: number;
  endedAt: number;
  title: string;
  notes?: string;
  plan: Plan | null;
  /** In time order; empty for a stopwatch workout (the whole session is then one lap). */
  phases: readonly ExportPhase[];
  /** As recorded; bpm 0 or contact 'not-detected' are gaps and are never exported as a heart rate. */
  readings: readonly Reading[];
  summary: WorkoutSummary | null;
  /** For per-lap calories (Keytel); without it, laps share the summary's calories by covered time. */
  profile?: Profile | null;
  /**
   * Local time minus UTC at the start, minutes (Berlin in winter +60, New York −300, Kolkata
   * +330). Explicit because a pure encoder must not read the machine's zone: FIT's
   * activity.local_timestamp is the recording's local time, wherever the file is made.
   */
  tzOffsetMinutes: number;
}
