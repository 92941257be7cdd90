import type { TimerState } from '../../../core/workout';

/**
 * The room timer as insert-only revisions. The current state is the highest revision. Writing
 * revision r + 1 is a compare-and-swap: when two processes apply a command to revision r at the
 * same moment, both try to insert r + 1 and exactly one wins; the other learns it lost (`lost`)
 * and re-reads. Implementations: pb-timer-store.ts (unique (room, revision) index) and
 * memory-timer-store.ts; timer-store.contract.ts is what both promise.
 */
export interface TimerStore {
  latest(roomId: string): Promise<TimerState | null>;
  /** Inserts `state` (its revision must be the current one + 1); `lost` when another won. */
  insert(roomId: string, state: TimerState): Promise<'ok' | 'lost'>;
}
