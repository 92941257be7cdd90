/** A stored session (lib/storage) as the pure exporters' input (core/export ExportSession). */
import type { ExportPhase, ExportSession } from '$core/export/types';
import type { PhaseSpan } from '$core/workout';
import { deviceTzOffsetMinutes } from '$lib/storage/outbox';
import type { SessionRow } from '$lib/storage/schema';
import type { SessionWithReadings } from '$lib/storage/sessions';
import { executedView } from './executed';

export { deviceTzOffsetMinutes };

/** One phase per phaseIndex: the pieces of a phase split by a pause merged, pauses left out. */
export function mergePhaseSpans(spans: readonly PhaseSpan[]): ExportPhase[] {
  const byIndex = new Map<number, ExportPhase & { activeMs: number }>();
  for (const s of spans) {
    const found = byIndex.get(s.phaseIndex);
    if (found) {
      found.end = Math.max(found.end, s.end);
      found.activeMs += s.end - s.start;
    } else {
      byIndex.set(s.phaseIndex, { kind: s.phase.kind, label: s.phase.label, start: s.start, end: s.end, activeMs: s.end - s.start });
    }
  }
  return [...byIndex.values()].sort((a, b) => a.start - b.start);
}

/**
 * The zone offset at the start: the one recorded with the session when the row has it (stored
 * at recording time, so every device exports the same local time), else this device's offset
 * for that date, which is right for workouts recorded here.
 */
export function sessionTzOffsetMinutes(session: SessionRow, deviceOffset: (ms: number) => number = deviceTzOffsetMinutes): number {
  const recorded = session.record?.execution?.tzOffsetMinutes ?? session.tzOffsetMinutes;
  return typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : deviceOffset(session.startedAt);
}

/**
 * With an execution record, everything but the readings comes from the synced record (its
 * execution, times, title and notes), never from this device's row: so the files of one workout
 * are the same bytes on every device (issue 12). Otherwise from the row, as older versions did.
 */
export function toExportSession(data: SessionWithReadings, deviceOffset: (ms: number) => number = deviceTzOffsetMinutes): ExportSession {
  const { session } = data;
  const executed = executedView(session);
  const record = session.record;
  if (executed && record) {
    return {
      startedAt: record.startedAt,
      endedAt: record.summary?.endedAt ?? session.endedAt ?? session.lastWriteAt,
      title: record.title.value,
      notes: record.notes.value,
      plan: executed.plan,
      phases: mergePhaseSpans(executed.spans),
      readings: data.readings,
      summary: executed.summary,
      profile: executed.profile,
      tzOffsetMinutes: executed.tzOffsetMinutes,
    };
  }
  return {
    startedAt: session.startedAt,
    endedAt: session.endedAt ?? session.lastWriteAt,
    title: session.title,
    notes: session.notes,
    plan: session.plan,
    phases: mergePhaseSpans(data.phases),
    readings: data.readings,
    summary: session.summary,
    profile: session.profile,
    tzOffsetMinutes: sessionTzOffsetMinutes(session, deviceOffset),
  };
}
