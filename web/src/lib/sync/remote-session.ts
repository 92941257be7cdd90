/**
 * Session rows for workouts pulled from another device. The wire record carries what the
 * protocol syncs (times, plan name, write-once summary, title, notes); the rest of a SessionRow
 * (timer, phases, full plan) stays on the recording device, so stand-ins fill it here. The
 * detailed summary (zones, calories) is computed locally once every reading has arrived.
 */
import { PLAN_VERSION, createTimer, summarizeWorkout, type Plan, type Profile } from '$core/workout';
import type { LiveSession } from '$core/sync';
import { decodeReadings, type ChunkRow, type SessionRow } from '$lib/storage';

export function rowFromRemote(record: LiveSession, owner: string, now: number): SessionRow {
  const endedAt = record.summary?.endedAt ?? record.startedAt;
  const plan: Plan = { v: PLAN_VERSION, mode: 'stopwatch', name: (record.plan?.name || 'Workout').slice(0, 60) };
  return {
    id: record.id,
    v: 1,
    // Always 'finished': only finished sessions are pushed, and 'recording' would offer a resume.
    status: 'finished',
    startedAt: record.startedAt,
    endedAt,
    lastWriteAt: endedAt,
    title: record.title.value,
    notes: record.notes.value,
    plan,
    timer: { ...createTimer(plan), startedAt: record.startedAt, stoppedAt: endedAt, updatedAt: endedAt },
    phases: [],
    gaps: [],
    source: 'none',
    readingCount: record.summary?.readingCount ?? 0,
    chunkCount: 0,
    profile: null,
    profileIsDefault: true,
    summary: null,
    updatedAt: now,
    syncId: record.id,
    owner,
    synced: 1,
    record,
    origin: 'remote',
  };
}

/**
 * The local summary of a pulled session once all its readings are here (null until then).
 * Heart-rate figures depend on the readings only, so they match the recording device's.
 */
export function completeRemoteRow(row: SessionRow, chunks: ChunkRow[], profile: Profile): Partial<SessionRow> | null {
  const stored = chunks.reduce((n, c) => n + c.count, 0);
  const chunkCount = chunks.reduce((n, c) => Math.max(n, c.seq + 1), 0);
  if (row.summary || stored < row.readingCount) return chunkCount > row.chunkCount ? { chunkCount } : null;
  const readings = chunks
    .sort((a, b) => a.seq - b.seq)
    .flatMap((c) => decodeReadings(c.data) ?? [])
    .sort((a, b) => a.t - b.t);
  const endedAt = row.endedAt ?? row.lastWriteAt;
  const summary = summarizeWorkout({ readings, spans: [], profile, startedAt: row.startedAt, endedAt });
  return { chunkCount, summary, profile, profileIsDefault: true };
}
