/**
 * A synced workout (its merged sync record and the readings of its chunks) as an upload's input:
 * the ExportSession the FIT encoder takes (core/export), the activity's name and description, and
 * the `external_id` that makes an upload recognisable at the provider (issue 16). Pure: no IO.
 *
 * The same record and readings give the same bytes on every server process and every attempt
 * (toFit reads nothing else): a provider that refuses an identical file as a duplicate names the
 * activity the first attempt created.
 */
import type { ExportPhase, ExportSession } from '../export/types';
import type { LiveSession } from '../sync/merge';
import type { Reading as SyncedReading } from '../sync/sample-codec';
import { executedSpans, executedSummary, recomputedSummary, type PhaseSpan, type Reading, type WorkoutSummary } from '../workout';

/** The external id of a session's upload: one per session, whatever the attempt or the process. */
export const externalIdFor = (sessionId: string): string => `hrm-${sessionId}.fit`;

/** One phase per phaseIndex, the pieces of a paused phase merged (as the PWA's exports do). */
export function mergeSpans(spans: readonly PhaseSpan[]): ExportPhase[] {
  const byIndex = new Map<number, ExportPhase & { activeMs: number }>();
  for (const s of spans) {
    const found = byIndex.get(s.phaseIndex);
    if (found) {
      found.end = Math.max(found.end, s.end);
      found.activeMs += s.end - s.start;
    } else byIndex.set(s.phaseIndex, { kind: s.phase.kind, label: s.phase.label, start: s.start, end: s.end, activeMs: s.end - s.start });
  }
  return [...byIndex.values()].sort((a, b) => a.start - b.start);
}

/**
 * The running spans of a synced resting check's measure (work) phase, paused stretches left
 * out: what the PWA measures the check over (web/src/lib/workout/resting-check.ts), so that
 * the server's wellness value is the one the member saw. Empty without an execution record.
 */
export function restingCheckSpans(record: Pick<LiveSession, 'execution'>): PhaseSpan[] {
  return record.execution ? executedSpans(record.execution).filter((s) => s.phase.kind === 'work') : [];
}

/** null while the session is still being recorded (no summary yet). */
export function syncedExportSession(record: LiveSession, readings: readonly SyncedReading[]): ExportSession | null {
  if (!record.summary) return null;
  const e = record.execution;
  const sorted: Reading[] = readings.map((r) => ({ t: r.t, bpm: r.bpm, rr1024: [...r.rr1024], contact: r.contact })).sort((a, b) => a.t - b.t);
  if (e) {
    const r = record.recomputed;
    return {
      startedAt: record.startedAt,
      endedAt: record.summary.endedAt,
      title: record.title.value,
      notes: record.notes.value,
      plan: e.timer.plan,
      phases: mergeSpans(executedSpans(e)),
      readings: sorted,
      summary: r ? recomputedSummary(e, r.value) : executedSummary(e),
      profile: r ? r.value.profile : e.profile,
      tzOffsetMinutes: e.tzOffsetMinutes,
    };
  }
  return {
    startedAt: record.startedAt,
    endedAt: record.summary.endedAt,
    title: record.title.value,
    notes: record.notes.value,
    plan: null,
    phases: [],
    readings: sorted,
    summary: null,
    profile: null,
    tzOffsetMinutes: 0,
  };
}

const mmss = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function intervalLine(i: WorkoutSummary['intervals'][number], n: number): string {
  const hr = i.avgBpm === null ? '' : ` · avg ${Math.round(i.avgBpm)} bpm${i.peakBpm === null ? '' : `, peak ${Math.round(i.peakBpm)}`}`;
  const extra = i.kind === 'rest' && i.dropBpm !== null ? ` · recovery ${Math.round(i.dropBpm)} bpm` : '';
  return `${n}. ${i.phase.label || i.kind} ${mmss(i.activeMs)}${hr}${extra}`;
}

/** Strava caps nothing it documents; we keep descriptions readable and bounded. */
export const MAX_DESCRIPTION_CHARS = 2000;

/**
 * Indoor or not, for Strava's `trainer` flag. HRM records a chest strap's heart rate and no
 * position, so every HRM workout is an indoor strap session unless its session says otherwise
 * (`indoor: false`; nothing records that yet).
 */
export const isIndoor = (session: { indoor?: boolean }): boolean => session.indoor !== false;

/**
 * The activity's name, description and `trainer` flag: the title, the member's notes, one line
 * per interval (label, running time, heart rate, recovery) and the workout's power songs when
 * there are any (core/upload/power-songs.ts picks them); `trainer` for indoor sessions only.
 */
export function uploadText(session: ExportSession & { indoor?: boolean }, powerSongs: readonly string[] = []): { name: string; description: string; trainer: boolean } {
  const name = (session.title.trim() || 'HRM workout').slice(0, 200);
  const parts: string[] = [];
  if (session.notes?.trim()) parts.push(session.notes.trim());
  const intervals = session.summary?.intervals ?? [];
  if (intervals.length > 0) parts.push(['Intervals:', ...intervals.map((i, k) => intervalLine(i, k + 1))].join('\n'));
  if (powerSongs.length > 0) parts.push(['Power songs:', ...powerSongs.map((s) => `♪ ${s}`)].join('\n'));
  parts.push('Recorded with HRM');
  let description = parts.join('\n\n');
  if (description.length > MAX_DESCRIPTION_CHARS) description = `${description.slice(0, MAX_DESCRIPTION_CHARS - 1)}…`;
  return { name, description, trainer: isIndoor(session) };
}
