/**
 * What the after-class step keeps (hubs/after-class.ts). Implementations: pb-after-class-store.ts
 * (PocketBase, pb_migrations/1763902600_hub_workouts.js) and memory-after-class-store.ts; both pass
 * after-class-store.contract.ts, racing writers included.
 *
 * - Recorders: one row per member, room, run and recorder ('hub' | 'phone'), unique on all four.
 *   Each recorder writes only its own row (a repeat is a no-op) and reads the other's: no row is
 *   ever updated, so two processes cannot undo each other (docs/server-state.md).
 * - Held workouts: a guest's class workout carried by a hub, one per participant and run, until
 *   claimed; its only writer is the hub that carried the strap (a repeat replaces it whole).
 */
import type { HubWorkoutChunk } from '../../../core/api';
import type { LiveSession } from '../../../core/sync';

export type RecordedBy = 'hub' | 'phone';

export interface ClassKey {
  user: string;
  room: string;
  runStartedAt: number;
}

export interface HeldWorkout {
  session: LiveSession;
  chunks: HubWorkoutChunk[];
}

export interface AfterClassStore {
  /** Writes this recorder's row for the member's class, once. */
  markRecorder(key: ClassKey, by: RecordedBy, sessionId: string): Promise<void>;
  /** This recorder's row exists. */
  recorded(key: ClassKey, by: RecordedBy): Promise<boolean>;
  hold(participant: string, room: string, runStartedAt: number, workout: HeldWorkout): Promise<void>;
  held(participant: string, runStartedAt: number): Promise<HeldWorkout | null>;
}
