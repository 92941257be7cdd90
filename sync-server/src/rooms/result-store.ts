/**
 * Class results: each participant's result of each class run (core/rooms/class-result.ts), as
 * their phone posts it when the run ends. Implementations: pb-result-store.ts (PocketBase,
 * `room_results`) and memory-result-store.ts; result-store.contract.ts runs against both.
 *
 * Writers: only the participant's own phone, once per run (again if its first post was not
 * answered). A repeated post replaces the whole row with the same participant's newer result:
 * nothing in the row comes from another writer, so no update builds on a read
 * (docs/server-state.md).
 */
import type { ClassResult } from '../../../core/rooms';

export interface ResultInput {
  room: string;
  participant: string;
  /** The member, or '' for a guest. */
  user: string;
  name: string;
  result: ClassResult;
}

export interface ResultRow extends ResultInput {
  id: string;
  runStartedAt: number;
}

export interface ResultStore {
  /** Stores the participant's result of its run; a later one for the same run replaces it. */
  put(input: ResultInput, at: number): Promise<void>;
  /** The room's results of its `runs` latest runs, newest run first. */
  forRoom(roomId: string, runs: number): Promise<ResultRow[]>;
}
