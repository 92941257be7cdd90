/**
 * The phases actually run, with wall-clock start and end, reconstructed from the timer state's
 * pause and skip records. This is what the summary uses for per-interval analytics. A phase
 * interrupted by a pause appears as several spans with the same `phaseIndex`; skipped parts of a
 * phase never appear; a stopped run ends at `stoppedAt`, an unfinished one at `now`.
 */
import { expandPlan, phaseIndexAt, planDurationMs, type Phase } from './expand-plan';
import { effectiveNow, positionAtRunTime } from './timer-clock';
import type { TimerState } from './timer-state';

export interface PhaseSpan {
  phaseIndex: number;
  phase: Phase;
  /** Wall time, inclusive. */
  start: number;
  /** Wall time, exclusive. */
  end: number;
}

interface RunningStretch {
  wallStart: number;
  wallEnd: number;
  runStart: number;
}

/** The wall-clock stretches during which the timer was running, with run time at their start. */
export function runningStretches(state: TimerState, now: number): RunningStretch[] {
  if (state.startedAt === null) return [];
  const end = state.stoppedAt ?? state.pausedAt ?? effectiveNow(state, now);
  const stretches: RunningStretch[] = [];
  let wallStart = state.startedAt;
  let runStart = 0;
  for (const pause of state.pauses) {
    if (pause.at > wallStart) stretches.push({ wallStart, wallEnd: pause.at, runStart });
    runStart += Math.max(0, pause.at - wallStart);
    wallStart = Math.max(wallStart, pause.at) + pause.ms;
  }
  if (end > wallStart) stretches.push({ wallStart, wallEnd: end, runStart });
  return stretches;
}

export function phaseHistory(state: TimerState, now: number): PhaseSpan[] {
  const phases = expandPlan(state.plan);
  const totalMs = planDurationMs(phases);
  const spans: PhaseSpan[] = [];
  for (const stretch of runningStretches(state, now)) {
    let run = stretch.runStart;
    let wall = stretch.wallStart;
    while (wall < stretch.wallEnd) {
      const position = positionAtRunTime(state, run);
      if (position >= totalMs) return spans;
      const phaseIndex = phaseIndexAt(phases, position);
      const phase = phases[phaseIndex]!;
      const nextSkip = state.skips.find((s) => s.runMs > run)?.runMs ?? Infinity;
      const step = Math.min(phase.offsetMs + phase.durationMs - position, nextSkip - run, stretch.wallEnd - wall);
      spans.push({ phaseIndex, phase, start: wall, end: wall + step });
      run += step;
      wall += step;
    }
  }
  return spans;
}
