/**
 * One-time `state` values of connect attempts (only their SHA-256 is stored), bound to the
 * member's session, with the sealed PKCE verifier. `take` consumes: of concurrent callbacks
 * with the same state, exactly one gets the row.
 */
export interface OAuthState {
  stateHash: string;
  memberId: string;
  sessionId: string;
  sealedVerifier: string;
  expiresAt: number;
}

export interface OAuthStateStore {
  create(s: OAuthState): Promise<void>;
  take(stateHash: string): Promise<OAuthState | null>;
  purgeExpired(now: number): Promise<void>;
}

export function createMemoryOAuthStateStore(): OAuthStateStore {
  const rows = new Map<string, OAuthState>();
  return {
    async create(s) {
      await Promise.resolve();
      if (rows.has(s.stateHash)) throw new Error('duplicate state');
      rows.set(s.stateHash, { ...s });
    },
    async take(h) {
      await Promise.resolve();
      const r = rows.get(h) ?? null;
      rows.delete(h);
      return r;
    },
    async purgeExpired(now) {
      await Promise.resolve();
      for (const [h, r] of rows) if (r.expiresAt < now) rows.delete(h);
    },
  };
}
