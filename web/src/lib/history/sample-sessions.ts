/**
 * Recorded sessions built exactly as the recorder stores them (a SessionRow plus chunk rows of
 * CHUNK_READINGS readings encoded with core/sync encodeChunk), for tests, the browser test's
 * IndexedDB seeding and the history benchmarks. Pure: no IndexedDB here.
 */
// Relative imports on purpose: the browser tests and benchmarks load this file without the
// $core/$lib aliases.
import { sampleSession } from '../../../../core/export/sample-session';
import { encodeChunk } from '../../../../core/sync';
import { expandPlan, phaseHistory, planDurationMs, summarizeWorkout, type IntervalPlan, type Profile, type Reading, type TimerState } from '../../../../core/workout';
import { CHUNK_READINGS, type ChunkRow, type SessionRow } from '../storage/schema';

export const SEED_PROFILE: Profile = { age: 30, sex: 'male', weightKg: 75, restingHr: 60, maxHrMethod: 'fox', zoneModel: 'percent-max' };

export interface SeedOptions {
  id: string;
  title: string;
  startedAt: number;
  workMs?: number;
  restMs?: number;
  rounds?: number;
  prepareMs?: number;
  /** Leave out the chunks (the list never reads them). */
  withoutReadings?: boolean;
}

/** A chunk as page.evaluate can carry it (bytes as a plain array). */
export type SeedChunk = Omit<ChunkRow, 'data'> & { data: number[] };

export interface Seeded {
  session: SessionRow;
  chunks: SeedChunk[];
  readings: Reading[];
}

export function seedSession(o: SeedOptions): Seeded {
  const workMs = o.workMs ?? 20_000;
  const restMs = o.restMs ?? 10_000;
  const rounds = o.rounds ?? 8;
  const prepareMs = o.prepareMs ?? 5_000;
  const plan: IntervalPlan = { v: 1, mode: 'intervals', name: o.title.slice(0, 60), prepareMs, blocks: [{ name: 'Main', workMs, restMs, rounds, targetZone: 4 }] };
  const endedAt = o.startedAt + planDurationMs(expandPlan(plan));
  const running: TimerState = { v: 1, plan, revision: 2, updatedAt: endedAt, startedAt: o.startedAt, pausedAt: null, pausedTotal: 0, pauses: [], skips: [], stoppedAt: null };
  const phases = phaseHistory(running, endedAt);
  const timer: TimerState = { ...running, stoppedAt: endedAt };
  const readings = [...sampleSession({ startedAt: o.startedAt, workMs, restMs, rounds, prepareMs }).readings];
  const summary = summarizeWorkout({ readings, spans: phases, profile: SEED_PROFILE, startedAt: o.startedAt, endedAt });
  const chunks: SeedChunk[] = [];
  if (!o.withoutReadings) {
    for (let i = 0; i < readings.length; i += CHUNK_READINGS) {
      const part = readings.slice(i, i + CHUNK_READINGS);
      const data = encodeChunk(part.map((r) => ({ ...r, energyKj: null })));
      chunks.push({ sessionId: o.id, seq: chunks.length, sealed: 1, t0: part[0]!.t, t1: part.at(-1)!.t, count: part.length, data: Array.from(data) });
    }
  }
  const session: SessionRow = {
    id: o.id,
    v: 1,
    status: 'finished',
    startedAt: o.startedAt,
    endedAt,
    lastWriteAt: endedAt,
    title: o.title,
    notes: '',
    plan,
    timer,
    phases,
    gaps: [],
    source: 'simulated',
    readingCount: o.withoutReadings ? 0 : readings.length,
    chunkCount: chunks.length,
    profile: SEED_PROFILE,
    profileIsDefault: false,
    summary,
    updatedAt: endedAt,
  };
  return { session, chunks, readings };
}

/**
 * The finished row a device stores for an executed workout (core/workout/testing
 * executed-workout.ts): its real timer, phases, profile snapshot and summary, recorded in a
 * UTC+1 zone. `extra` sets what differs between tests (id, notes, owner, sync state).
 */
export function executedSessionRow(
  w: { startedAt: number; endedAt: number; timer: TimerState; spans: SessionRow['phases']; readings: readonly Reading[]; execution: { profile: SessionRow['profile'] }; summary: SessionRow['summary'] },
  extra: Partial<SessionRow> = {},
): SessionRow {
  return {
    id: 'abcdefghijklmno',
    v: 1,
    status: 'finished',
    startedAt: w.startedAt,
    endedAt: w.endedAt,
    lastWriteAt: w.endedAt,
    title: 'Tabata',
    notes: '',
    plan: w.timer.plan,
    timer: w.timer,
    phases: w.spans,
    gaps: [],
    source: 'simulated',
    readingCount: w.readings.length,
    chunkCount: 1,
    profile: w.execution.profile,
    profileIsDefault: false,
    summary: w.summary,
    updatedAt: w.endedAt,
    tzOffsetMinutes: 60,
    origin: 'local',
    ...extra,
  };
}
