/** The end of a recording: when it really ended, and the summary over what was recorded. */
import { isFinished, phaseHistory, summarizeWorkout, type PhaseSpan, type Profile, type TimerState, type WorkoutSummary } from '$core/workout';
import type { RecordedReading } from '$lib/storage';

/**
 * Wall time the workout ended for a stopped timer: the stop, or the end of the plan's last phase
 * when the plan had already run out before the stop.
 */
export function endTimeOf(stopped: TimerState, spans: readonly PhaseSpan[]): number {
  const stoppedAt = stopped.stoppedAt ?? stopped.startedAt ?? 0;
  const last = spans[spans.length - 1];
  return isFinished(stopped, stoppedAt) && last ? Math.min(stoppedAt, last.end) : stoppedAt;
}

export interface FinishedRecording {
  endedAt: number;
  phases: PhaseSpan[];
  summary: WorkoutSummary;
}

export function finishRecording(stopped: TimerState, readings: readonly RecordedReading[], profile: Profile): FinishedRecording {
  const startedAt = stopped.startedAt ?? 0;
  const phases = phaseHistory(stopped, stopped.stoppedAt ?? startedAt);
  const endedAt = endTimeOf(stopped, phases);
  const summary = summarizeWorkout({ readings, spans: phases, profile, startedAt, endedAt });
  return { endedAt, phases, summary };
}
