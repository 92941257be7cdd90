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
import { expandPlan, type Phase } from './expand-plan';
import { phaseTarget, type HrTarget } from './target-zone';
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


/**
 * Spoken cues (for a speech adapter): the phase's name as it starts ("Work, round 2 of 8,
 * target zone 4"), "10 seconds" before the end of a phase of 20 s or more, "Halfway" in a phase
 * of a minute or more. The end has its long beep and the summary screen: a workout that ended
 * stops its cues at once (the controller), so nothing is said there. Same timing rules as `cuesBetween`
 * (wall time, nothing before the last command). The 3-2-1 stays with the beeps; the cue queue
 * (cue-queue.ts) keeps speech clear of them.
 */
export type SpokenKind = 'phase' | 'countdown' | 'halfway' | 'target';

export interface SpokenCue {
  /** Stable for one cue of one timer state, so a cue listed twice is spoken once. */
  id: string;
  kind: SpokenKind;
  /** Wall time (ms) from which the cue may be spoken. */
  at: number;
  text: string;
}

/** "10 seconds" is said only in phases at least this long (shorter ones are all countdown). */
export const SPOKEN_COUNTDOWN_MIN_PHASE_MS = 20_000;
/** "Halfway" is said only in phases at least this long. */
export const SPOKEN_HALFWAY_MIN_PHASE_MS = 60_000;

export function phaseAnnouncement(phase: Pick<Phase, 'label' | 'round' | 'roundsInBlock'>, target: HrTarget | null): string {
  const parts = [phase.label];
  if (phase.round !== null && phase.roundsInBlock !== null && phase.roundsInBlock > 1) parts.push(`round ${phase.round} of ${phase.roundsInBlock}`);
  if (target) parts.push(`target ${target.kind === 'zone' ? `zone ${target.zone}` : `${target.min} to ${target.max}`}`);
  return parts.join(', ');
}

export function spokenCuesBetween(state: TimerState, from: number, to: number): SpokenCue[] {
  if (state.startedAt === null || state.pausedAt !== null || state.stoppedAt !== null) return [];
  const phases = expandPlan(state.plan);
  if (phases.length === 0) return [];
  const notBefore = Math.max(from, state.updatedAt ?? from);
  const base = state.startedAt + state.pausedTotal - totalSkippedMs(state);
  const cues: SpokenCue[] = [];
  phases.forEach((phase, index) => {
    const start = base + phase.offsetMs;
    const end = start + phase.durationMs;
    cues.push({ id: `phase:${index}:${start}`, kind: 'phase', at: start, text: phaseAnnouncement(phase, phaseTarget(state.plan, phase)) });
    if (phase.durationMs >= SPOKEN_HALFWAY_MIN_PHASE_MS) cues.push({ id: `halfway:${index}:${start}`, kind: 'halfway', at: start + phase.durationMs / 2, text: 'Halfway' });
    if (phase.durationMs >= SPOKEN_COUNTDOWN_MIN_PHASE_MS) cues.push({ id: `countdown:${index}:${start}`, kind: 'countdown', at: end - 10_000, text: '10 seconds' });
  });
  return cues.filter((c) => c.at >= notBefore && c.at < to).sort((a, b) => a.at - b.at);
}
