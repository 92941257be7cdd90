/** A stored session (lib/storage) as the pure exporters' input (core/export ExportSession). */
import type { ExportPhase, ExportSession } from '$core/export/types';
import type { PhaseSpan } from '$core/workout';
import type { SessionRow } from '$lib/storage/schema';
import type { SessionWithReadings } from '$lib/storage/sessions';

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

/** This device's local time minus UTC at `ms`, minutes (getTimezoneOffset is UTC minus local). */
export function deviceTzOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset() || 0;
}

/**
 * The zone offset at the start: the one recorded with the session when the row has it (issue 12
 * stores it with each session at recording time, so every device exports the same local time),
 * else this device's offset for that date, which is right for workouts recorded here.
 */
export function sessionTzOffsetMinutes(session: SessionRow, deviceOffset: (ms: number) => number = deviceTzOffsetMinutes): number {
  const recorded = (session as SessionRow & { tzOffsetMinutes?: unknown }).tzOffsetMinutes;
  return typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : deviceOffset(session.startedAt);
}

export function toExportSession(data: SessionWithReadings, deviceOffset: (ms: number) => number = deviceTzOffsetMinutes): ExportSession {
  const { session } = data;
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
