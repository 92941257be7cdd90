/**
 * A recorded Tabata for tests: the real timer run with a pause in the second work bout and the
 * third rest skipped, 1 Hz readings that rise in work and fall in rest, and the summary the
 * recorder computes at the end. Deterministic; no IO.
 */
import { buildExecution, type ProfileSource, type SessionExecution } from '../execution';
import { phaseHistory, type PhaseSpan } from '../phase-history';
import { tabataPlan } from '../presets';
import type { Profile } from '../profile';
import type { Reading } from '../readings';
import { summarizeWorkout, type WorkoutSummary } from '../summary';
import { createTimer, type TimerState } from '../timer-state';
import { pauseTimer, resumeTimer, skipPhase, startTimer, stopTimer } from '../timer-engine';

export const EXECUTED_PROFILE: Profile = {
  age: 38,
  sex: 'female',
  weightKg: 61,
  restingHr: 52,
  maxHr: 184,
  maxHrMethod: 'measured',
  zoneModel: 'percent-max',
};

export interface ExecutedWorkout {
  timer: TimerState;
  spans: PhaseSpan[];
  readings: Reading[];
  summary: WorkoutSummary;
  startedAt: number;
  endedAt: number;
  execution: SessionExecution;
}

export interface ExecutedOptions {
  startedAt?: number;
  profile?: Profile;
  profileSource?: ProfileSource;
  tzOffsetMinutes?: number;
  /** Tabata rounds (4); the stop comes `stopAfterMs` (140 s) after the start. */
  rounds?: number;
  stopAfterMs?: number;
}

export function executedWorkout(options: ExecutedOptions = {}): ExecutedWorkout {
  const t0 = options.startedAt ?? Date.UTC(2026, 0, 15, 7, 30);
  const profile = options.profile ?? EXECUTED_PROFILE;
  let timer = startTimer(createTimer(tabataPlan(options.rounds ?? 4)), t0).state;
  // Prepare, work 1 (20 s), rest 1 (10 s), work 2: paused in it for 15 s; rest 2 skipped part-way.
  timer = pauseTimer(timer, t0 + 48_000).state;
  timer = resumeTimer(timer, t0 + 63_000).state;
  timer = skipPhase(timer, t0 + 79_000).state;
  const stopAt = t0 + (options.stopAfterMs ?? 140_000);
  timer = stopTimer(timer, stopAt).state;
  const spans = phaseHistory(timer, stopAt);
  const endedAt = Math.min(stopAt, spans.at(-1)!.end);
  const readings: Reading[] = [];
  for (let t = t0; t < endedAt; t += 1000) {
    const span = spans.find((s) => t >= s.start && t < s.end);
    const f = span ? (t - span.start) / Math.max(1, span.end - span.start) : 0;
    const bpm = span?.phase.kind === 'work' ? Math.round(125 + 50 * f) : span?.phase.kind === 'rest' ? Math.round(170 - 30 * f) : 96;
    const rr = Math.round((60 * 1024) / bpm);
    readings.push({ t: t + ((t / 1000) % 3 === 1 ? 130 : 0), bpm, rr1024: [rr], contact: 'detected' });
  }
  const summary = summarizeWorkout({ readings, spans, profile, startedAt: t0, endedAt });
  const execution = buildExecution({ timer, spans, profile, profileSource: options.profileSource ?? 'member', tzOffsetMinutes: options.tzOffsetMinutes ?? 60, summary });
  return { timer, spans, readings, summary, startedAt: t0, endedAt, execution };
}
