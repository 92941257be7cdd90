/**
 * Class results: each participant's result of each class run (core/rooms/class-result.ts), as
 * their phone posts it when the run ends. Implementations: pb-result-store.ts (PocketBase,
 * `room_results`) and memory-result-store.ts; result-store.contract.ts runs against both.
 *
 * Writers: only the participant's own phone, once per run (again if its first post was not
 * answered). A repeated post replaces the whole row with the same participant's newer result:
 * nothing in the row comes from another writer, so no update builds on a read
 * (docs/server-state.md). A guest's claim link writes a separate claim record.
 */
import type { ClassResult } from '../../../core/rooms';

export interface ResultInput {
  room: string;
  participant: string;
  /** The member, or '' for a guest. */
  user: string;
  name: string;
  result: ClassResult;
  /** SHA-256 of the secret of the guest's claim link ('' for a member's result). */
  claimHash: string;
}

export interface ResultRow extends ResultInput {
  id: string;
  runStartedAt: number;
  /** The member who claimed a guest's result with its link, or ''. */
  claimedBy: string;
}

export interface ResultStore {
  /** Stores the participant's result of its run; a later one for the same run replaces it. */
  put(input: ResultInput, at: number): Promise<void>;
  /** The room's results of its `runs` latest runs, newest run first. */
  forRoom(roomId: string, runs: number): Promise<ResultRow[]>;
  /** One participant's result of one run. */
  result(participant: string, runStartedAt: number): Promise<ResultRow | null>;
  /**
   * Attaches a guest's result to a member, once: the claim is its own record (unique per
   * result), so a re-post of the result never undoes it and of racing claims one wins.
   * `taken` when another member claimed it first; claiming again as the same member is fine.
   */
  claim(resultId: string, userId: string): Promise<'claimed' | 'taken' | 'gone'>;
}
