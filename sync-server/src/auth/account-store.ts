import type { SessionMember } from './session-store';

/**
 * A member's account (PocketBase's `users`), for the routes under /api/v1/me. Reading the
 * member is not here: it comes with the session (session-store.ts `get`).
 */
export interface AccountStore {
  rename(id: string, name: string): Promise<SessionMember>;
  /**
   * Deletes the account and every row that names the member (issue 11, defect 12): what
   * relations reach cascades in PocketBase, the rest (rows keyed by the member's id or by the
   * hash of their address) is deleted explicitly. Idempotent: a retry after a crash half-way
   * finishes the job.
   */
  erase(member: { id: string; accountKey: string }): Promise<void>;
}
