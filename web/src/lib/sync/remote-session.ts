/**
 * Session rows for workouts pulled from another device. The wire record carries what the
 * protocol syncs (times, plan name, write-once summary, title, notes) and, from protocol 3, the
 * execution record (docs/sync-protocol.md §9): the stopped timer with the full plan, the phases
 * as they ran, the profile and the summary, which fill the row as the recording device had it.
 * A session recorded by an older version has no execution record: stand-ins fill the timer and
 * plan, and the summary (zones, calories) is computed here once every reading has arrived.
 */
import { PLAN_VERSION, createTimer, executedSpans, executedSummary, summarizeWorkout, type Plan, type Profile, type SessionExecution } from '$core/workout';
import type { LiveSession } from '$core/sync';
import { decodeReadings, type ChunkRow, type SessionRow } from '$lib/storage';

/** The row fields an execution record fills: what ran and what it was computed with. */
export function executedFields(e: SessionExecution): Partial<SessionRow> {
  return {
    plan: e.timer.plan,
    timer: e.timer,
    phases: executedSpans(e),
    profile: e.profile,
    profileIsDefault: e.profileSource === 'default',
    summary: executedSummary(e),
    tzOffsetMinutes: e.tzOffsetMinutes,
  };
}

export function rowFromRemote(record: LiveSession, owner: string, now: number): SessionRow {
  const endedAt = record.summary?.endedAt ?? record.startedAt;
  const executed = record.execution ? executedFields(record.execution) : {};
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
    ...executed,
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
