import type { SessionMember } from './session-store';

/**
 * A member's account (PocketBase's `users`: password hashing, verification and reset mails),
 * for the auth and /me routes. On an authenticated request the member comes with the session
 * (session-store.ts `get`); `member` is for the few routes that need it fresh.
 */
export interface AccountStore {
  /** The member whose password this is (PocketBase checks the hash); null for a wrong pair. */
  checkPassword(email: string, password: string): Promise<SessionMember | null>;
  /** The member as stored now; null when the account is gone. */
  member(id: string): Promise<SessionMember | null>;
  /** Confirms an address from the mailed token; false when the token is invalid or expired. */
  confirmVerification(token: string): Promise<boolean>;
  /** Creates the account; `not_created` (with PocketBase's field names) when it refused, e.g. a taken address. */
  register(input: { email: string; password: string; name: string }): Promise<{ created: true } | { created: false; fields: string[] }>;
  /** Asks PocketBase to mail the verification link. */
  requestVerification(email: string): Promise<void>;
  /** Asks PocketBase to mail a reset link (silently nothing for an unknown address). */
  requestPasswordReset(email: string): Promise<void>;
  /** Sets the password from a reset token; false when the token is invalid or used. */
  resetPassword(token: string, password: string): Promise<boolean>;
  rename(id: string, name: string): Promise<SessionMember>;
  /**
   * Deletes the account and every row that names the member (issue 11, defect 12): what
   * relations reach cascades in PocketBase, the rest (rows keyed by the member's id or by the
   * hash of their address) is deleted explicitly. Idempotent: a retry after a crash half-way
   * finishes the job.
   */
  erase(member: { id: string; accountKey: string; email: string }): Promise<void>;
}
