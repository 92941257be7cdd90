/**
 * A deterministic synthetic workout for tests, benchmarks and browser seeding: an interval plan
 * (prepare, then `rounds` × work/rest, the last rest dropped as expandPlan does) with 1 Hz
 * readings whose heart rate climbs in work and falls in rest, RR intervals matching the rate,
 * and two kinds of gap (a bpm-0 marker, then a stretch without skin contact).
 */
import type { Reading } from '../workout';
import type { ExportPhase, ExportSession } from './types';

export interface SampleOptions {
  startedAt?: number;
  workMs?: number;
  restMs?: number;
  rounds?: number;
  prepareMs?: number;
  /** Reading spacing, ms (1000 = the strap's 1 Hz). */
  stepMs?: number;
  /** ExportSession.tzOffsetMinutes (defaults to 0: recorded in UTC). */
  tzOffsetMinutes?: number;
}

export function samplePhases(o: Required<Omit<SampleOptions, 'stepMs' | 'tzOffsetMinutes'>>): ExportPhase[] {
  const phases: ExportPhase[] = [];
  let t = o.startedAt;
  if (o.prepareMs > 0) {
    phases.push({ kind: 'prepare', label: 'Get ready', start: t, end: t + o.prepareMs });
    t += o.prepareMs;
  }
  for (let round = 1; round <= o.rounds; round++) {
    phases.push({ kind: 'work', label: 'Work', start: t, end: t + o.workMs });
    t += o.workMs;
    if (round < o.rounds && o.restMs > 0) {
      phases.push({ kind: 'rest', label: 'Rest', start: t, end: t + o.restMs });
      t += o.restMs;
    }
  }
  return phases;
}

/** Heart rate that rises through each work bout and recovers in each rest. */
function bpmAt(phases: readonly ExportPhase[], t: number): number {
  const phase = phases.find((p) => t >= p.start && t < p.end) ?? phases[phases.length - 1]!;
  const f = (t - phase.start) / (phase.end - phase.start);
  if (phase.kind === 'work') return Math.round(120 + 55 * f);
  if (phase.kind === 'rest') return Math.round(175 - 45 * f);
  return 95;
}

export function sampleSession(options: SampleOptions = {}): ExportSession {
  const o = { startedAt: Date.UTC(2026, 0, 15, 7, 30), workMs: 20_000, restMs: 10_000, rounds: 8, prepareMs: 5_000, ...options };
  const stepMs = options.stepMs ?? 1000;
  const phases = samplePhases(o);
  const endedAt = phases[phases.length - 1]!.end;
  const readings: Reading[] = [];
  const n = Math.floor((endedAt - o.startedAt) / stepMs);
  for (let i = 0; i < n; i++) {
    const t = o.startedAt + i * stepMs + (i % 7 === 3 ? 250 : 0);
    const bpm = bpmAt(phases, t);
    // One RR of 60/bpm s, two on every fifth reading (a beat landed in each half-second).
    const rr = Math.round((60 * 1024) / bpm);
    const rr1024 = i % 5 === 0 ? [rr, rr + (i % 2 === 0 ? 6 : -6)] : [rr];
    const marker = i === 12; // strap reported 0 bpm
    const noContact = i >= 40 && i < 44;
    readings.push({ t, bpm: marker ? 0 : bpm, rr1024: marker ? [] : rr1024, contact: noContact ? 'not-detected' : 'detected' });
  }
  return { startedAt: o.startedAt, endedAt, title: 'Tabata <test> & "quotes"', notes: 'Felt good', plan: null, phases, readings, summary: null, tzOffsetMinutes: options.tzOffsetMinutes ?? 0 };
}
