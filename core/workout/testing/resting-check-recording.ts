/**
 * A recorded resting check for tests: the real timer run of restingCheckPlan, one reading a
 * second whose heart rate falls from `restingHr + 15` to `restingHr` over the settle minute and
 * then breathes (RR swinging ±`swingMs` over a 5-s breath), the summary and the execution record
 * the recorder makes. `disturb` adds a stretch of movement (+25 bpm) at the given offsets from
 * the start; `pause` pauses the timer (the plan then ends that much later). Deterministic; no IO.
 */
import { buildExecution, type SessionExecution } from '../execution';
import { phaseHistory, type PhaseSpan } from '../phase-history';
import { restingCheckPlan, RESTING_CHECK_MEASURE_MS, RESTING_CHECK_SETTLE_MS } from '../presets';
import type { Reading } from '../readings';
import { summarizeWorkout } from '../summary';
import { createTimer } from '../timer-state';
import { pauseTimer, resumeTimer, startTimer, stopTimer } from '../timer-engine';
import { EXECUTED_PROFILE } from './executed-workout';

export interface RestingCheckOptions {
  startedAt?: number;
  restingHr?: number;
  swingMs?: number;
  tzOffsetMinutes?: number;
  /** Stop this long after the start (default: the plan runs out). */
  stopAfterMs?: number;
  disturb?: { fromMs: number; toMs: number };
  /** Paused `atMs` after the start for `forMs` (the person sat up: the heart rate meanwhile is +25). */
  pause?: { atMs: number; forMs: number };
}

export interface RecordedRestingCheck {
  startedAt: number;
  endedAt: number;
  readings: Reading[];
  spans: PhaseSpan[];
  /** The measure phase's spans. */
  window: Array<{ start: number; end: number }>;
  execution: SessionExecution;
}

export function restingCheckRecording(o: RestingCheckOptions = {}): RecordedRestingCheck {
  const t0 = o.startedAt ?? Date.UTC(2026, 10, 3, 5, 45);
  const hr = o.restingHr ?? 54;
  const swing = o.swingMs ?? 40;
  const stopAt = t0 + (o.stopAfterMs ?? RESTING_CHECK_SETTLE_MS + RESTING_CHECK_MEASURE_MS + (o.pause?.forMs ?? 0));
  let running = startTimer(createTimer(restingCheckPlan()), t0).state;
  if (o.pause) running = resumeTimer(pauseTimer(running, t0 + o.pause.atMs).state, t0 + o.pause.atMs + o.pause.forMs).state;
  const timer = stopTimer(running, stopAt).state;
  const spans = phaseHistory(timer, stopAt);
  const endedAt = Math.min(stopAt, spans.at(-1)!.end);
  const readings: Reading[] = [];
  for (let t = t0; t < endedAt; t += 1000) {
    const s = (t - t0) / 1000;
    const settling = Math.max(0, 1 - s / 60) * 15;
    const paused = o.pause && t - t0 >= o.pause.atMs && t - t0 < o.pause.atMs + o.pause.forMs;
    const moving = paused || (o.disturb && t - t0 >= o.disturb.fromMs && t - t0 < o.disturb.toMs) ? 25 : 0;
    const rrMs = 60_000 / (hr + settling + moving) + swing * Math.sin((2 * Math.PI * s) / 5);
    readings.push({ t, bpm: Math.round(60_000 / rrMs), rr1024: [Math.round((rrMs * 1024) / 1000)], contact: 'detected' });
  }
  const summary = summarizeWorkout({ readings, spans, profile: EXECUTED_PROFILE, startedAt: t0, endedAt });
  const execution = buildExecution({ timer, spans, profile: EXECUTED_PROFILE, profileSource: 'member', tzOffsetMinutes: o.tzOffsetMinutes ?? 60, summary });
  const window = spans.filter((x) => x.phase.kind === 'work').map(({ start, end }) => ({ start, end }));
  return { startedAt: t0, endedAt, readings, spans, window, execution };
}
