/**
 * A participant's result of one class run: what their phone posts when the coach stops (or the
 * plan runs out), what the screen's results and the coach's report list. Worked out on the
 * phone from its own readings over the room's timer, with the same effort points the tiles
 * showed (core/workout/effort-points.ts), so the result is what the class saw.
 */
import { z } from 'zod';
import { hrStats, heldSegmentsIn, phaseHistory, pointsForRun, sortedReadings, type PointsProfile, type Reading, type TimerState } from '../workout';

const int = z.number().int();
const ms = int.min(0).max(24 * 3600_000);

export const ClassResultSchema = z.strictObject({
  /** The run this result belongs to: the room timer's startedAt (server clock). */
  runStartedAt: int.min(0),
  points: int.min(0).max(100_000),
  /** Time in each points band (0–4 points a minute), ms. */
  bandMs: z.tuple([ms, ms, ms, ms, ms]),
  avgBpm: int.min(1).max(255).nullable(),
  peakBpm: int.min(1).max(255).nullable(),
  kcal: z.number().min(0).max(100_000).nullable(),
  /** Time covered by readings within the class's phases. */
  activeMs: ms,
});
export type ClassResult = z.infer<typeof ClassResultSchema>;

/**
 * The result of the run of `timer` (the room's timer seen on this phone's clock) at `now`;
 * null before it started. `runStartedAt` is the room's own start, on the server's clock.
 */
export function classResult(
  readings: readonly Reading[],
  profile: PointsProfile,
  timer: TimerState,
  now: number,
  runStartedAt: number,
  kcal: number | null,
): ClassResult | null {
  const points = pointsForRun(readings, profile, timer, now);
  if (!points || timer.startedAt === null) return null;
  const until = Math.min(now, timer.stoppedAt ?? Infinity);
  const spans = phaseHistory(timer, until).map((s) => ({ start: s.start, end: s.end }));
  const stats = hrStats(heldSegmentsIn(sortedReadings(readings), spans));
  return {
    runStartedAt,
    points: points.total,
    bandMs: points.bandMs,
    avgBpm: stats ? Math.round(stats.avgBpm) : null,
    peakBpm: stats ? Math.round(stats.maxBpm) : null,
    kcal: kcal === null ? null : Math.round(kcal * 10) / 10,
    activeMs: stats?.coveredMs ?? 0,
  };
}
