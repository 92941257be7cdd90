/**
 * Audio cues, as timestamps an audio adapter can schedule ahead on the Web Audio clock:
 * short beeps 3, 2 and 1 s before each phase change and a long beep at each change, including
 * the end of the plan (the convention of the HRM Dashboard we replace).
 *
 * While running, wall time and plan position are linked by
 *   wall = startedAt + pausedTotal − skipped + position
 * from the last command onwards, so each boundary's cue times are exact without ticking.
 * Cues before the last command (`updatedAt`) are never listed: they belong to a past that a
 * pause or skip rewrote. A skip therefore yields a long beep at the skip instant itself (the new
 * phase starts then), but no countdown for the phase it cut short. A short beep is only listed
 * when it falls strictly inside the phase that ends: a 2 s phase gets only the 1 s beep, since
 * its 2 s beep would coincide with the long beep that started it.
 */
import { expandPlan } from './expand-plan';
import { totalSkippedMs } from './timer-clock';
import type { TimerState } from './timer-state';

export interface Cue {
  /** Wall time (ms) at which the sound should start. */
  at: number;
  kind: 'short' | 'long';
  /** 3, 2, 1 for the countdown beeps, 0 for the long beep at the change. */
  secondsBefore: 0 | 1 | 2 | 3;
  /** The phase that starts at this change; `phases.length` when the plan ends there. */
  nextPhaseIndex: number;
}

const COUNTDOWN: ReadonlyArray<1 | 2 | 3> = [3, 2, 1];

/** Cues due in the window [from, to), in time order. Empty unless the timer is running. */
export function cuesBetween(state: TimerState, from: number, to: number): Cue[] {
  if (state.startedAt === null || state.pausedAt !== null || state.stoppedAt !== null) return [];
  const phases = expandPlan(state.plan);
  if (phases.length === 0) return [];
  const notBefore = Math.max(from, state.updatedAt ?? from);
  const base = state.startedAt + state.pausedTotal - totalSkippedMs(state);
  const cues: Cue[] = [];
  phases.forEach((phase, index) => {
    const change = base + phase.offsetMs + phase.durationMs;
    for (const s of COUNTDOWN) {
      if (s * 1000 < phase.durationMs) cues.push({ at: change - s * 1000, kind: 'short', secondsBefore: s, nextPhaseIndex: index + 1 });
    }
    cues.push({ at: change, kind: 'long', secondsBefore: 0, nextPhaseIndex: index + 1 });
  });
  return cues.filter((c) => c.at >= notBefore && c.at < to);
}

