/**
 * The export view of a session, shared by the TCX and FIT encoders: which readings may be
 * written as a heart rate, and one lap per phase with its heart-rate figures.
 */
import { heldSegments, hrStats, isGap, keytelKcal, sortedReadings, type PhaseKind, type Reading } from '../workout';
import { apportion } from './apportion';
import type { ExportSession } from './types';

/** TCX and FIT store heart rate in one unsigned byte; 0 means "no value" in both. */
export const MAX_EXPORT_BPM = 255;
/** TCX Calories is an xsd:unsignedShort, FIT total_calories a uint16 (kcal). */
export const MAX_EXPORT_KCAL = 0xffff;

/** A reading that may be written as a heart rate: not a gap, and fits a byte. */
export function isExportable(r: Reading): boolean {
  return !isGap(r) && r.bpm <= MAX_EXPORT_BPM;
}

export interface ExportLap {
  kind: PhaseKind | 'session';
  label: string;
  start: number;
  end: number;
  activeMs: number;
  /** Exportable readings written inside this lap, in time order. */
  readings: Reading[];
  /** Time-weighted, rounded; null when the lap has no valid heart rate. */
  avgBpm: number | null;
  maxBpm: number | null;
  minBpm: number | null;
  kcal: number;
  /**
   * Whole kcal written for the lap: the session's calories rounded once and apportioned by
   * `kcal` (largest remainder), so the laps add up to the session's figure exactly.
   */
  calories: number;
}

/** The session's whole kcal as the summary shows it (rounded once), or the laps' sum without one. */
export function sessionCalories(s: ExportSession, lapKcal: readonly number[]): number {
  const kcal = s.summary?.calories.kcal ?? lapKcal.reduce((a, b) => a + b, 0);
  return Math.min(MAX_EXPORT_KCAL, Math.max(0, Math.round(kcal)));
}

/** Readings inside [startedAt, endedAt), in time order (gaps kept: they end held segments). */
export function sessionReadings(s: ExportSession): readonly Reading[] {
  return sortedReadings(s.readings).filter((r) => r.t >= s.startedAt && r.t < s.endedAt);
}

/**
 * One lap per phase, or one lap for the whole session when there are none. A reading belongs
 * to the last lap starting at or before it (the first lap also takes readings before it), so
 * every exportable reading lands in exactly one lap even across pauses.
 */
export function exportLaps(s: ExportSession): ExportLap[] {
  const readings = sessionReadings(s);
  const phases = s.phases.length > 0
    ? s.phases.map((p) => ({ kind: p.kind as ExportLap['kind'], label: p.label, start: p.start, end: p.end, activeMs: p.activeMs ?? p.end - p.start }))
    : [{ kind: 'session' as const, label: s.title, start: s.startedAt, end: s.endedAt, activeMs: s.endedAt - s.startedAt }];
  const totalCoveredMs = hrStats(heldSegments(readings, s.startedAt, s.endedAt))?.coveredMs ?? 0;
  let next = 0;
  const laps = phases.map((phase, i) => {
    const until = phases[i + 1]?.start ?? Infinity;
    const mine: Reading[] = [];
    while (next < readings.length && readings[next]!.t < until) {
      const r = readings[next++]!;
      if (isExportable(r)) mine.push(r);
    }
    const segments = heldSegments(readings, phase.start, phase.end);
    const stats = hrStats(segments);
    const kcal = s.profile
      ? keytelKcal(segments, s.profile)
      : totalCoveredMs > 0 && s.summary
        ? (s.summary.calories.kcal * (stats?.coveredMs ?? 0)) / totalCoveredMs
        : 0;
    return {
      ...phase,
      readings: mine,
      avgBpm: stats ? Math.round(stats.avgBpm) : null,
      maxBpm: stats ? stats.maxBpm : null,
      minBpm: stats ? stats.minBpm : null,
      kcal,
    };
  });
  const calories = apportion(laps.map((l) => l.kcal), sessionCalories(s, laps.map((l) => l.kcal)));
  return laps.map((lap, i) => ({ ...lap, calories: calories[i]! }));
}
