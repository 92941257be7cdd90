import { hourOfReadings, liveSession } from '../../../core/sync/testing/fixtures';
import type { SyncedSessions } from './synced-sessions';

/**
 * For unit tests: a member's synced workouts, one of them ready to upload (600 readings,
 * started an hour before `endsBefore`, ended ten minutes later).
 */
export function oneReadyWorkout(endsBefore: number): { sessions: SyncedSessions; sessionId: string } {
  const readings = hourOfReadings(endsBefore - 3_600_000, 3, 600);
  const base = liveSession({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', startedAt: endsBefore - 3_600_000, deviceId: 'd' });
  const record = { ...base, summary: { endedAt: endsBefore - 3_000_000, durationMs: 600_000, readingCount: readings.length, avgBpm: 140, maxBpm: 170, energyKj: null } };
  const sessions: SyncedSessions = {
    changedAfter: async () => ({ finished: [], deleted: [], maxSeq: 0, more: false }),
    head: async () => 0,
    load: async () => ({ kind: 'ready', record, readings }),
  };
  return { sessions, sessionId: record.id };
}
