/**
 * A participant's effort points in class (core/workout/effort-points.ts), worked out on their
 * phone from its own strap readings over the room's timer, and sent with each heart rate: the
 * tiles show what the phone computed, and the phone's class recording is computed from the
 * same readings and timeline, so the screen and the result agree.
 */
import { recordingTimer } from '$core/rooms';
import { pointsForRun, type PointsProfile, type Reading, type TimerState } from '$core/workout';
import { DEFAULT_PROFILE } from '$lib/profile';
import { maxHrOf } from './tile-view';

/** The join profile's HRmax (measured, else Tanaka from age) and resting HR (else the app's default). */
export function pointsProfileOf(p: { maxHr: number | null; age: number | null; restingHr?: number | null }): PointsProfile {
  const maxHr = maxHrOf(p);
  const restingHr = Math.min(p.restingHr || DEFAULT_PROFILE.restingHr, maxHr - 1);
  return { restingHr, maxHr };
}

/**
 * Points of the room's current run at `now` (this phone's clock); undefined before the coach
 * starts or before the server clock offset is known. The room's timer is seen on this phone's
 * clock from the run's own start, so every participant's points cover the whole class.
 */
export function classPoints(readings: readonly Reading[], profile: PointsProfile, room: TimerState | null, offsetMs: number | null, now: number): number | undefined {
  if (!room || room.startedAt === null || offsetMs === null) return undefined;
  const timer = recordingTimer(room, offsetMs, Math.round(room.startedAt - offsetMs));
  return pointsForRun(readings, profile, timer, now)?.total;
}
