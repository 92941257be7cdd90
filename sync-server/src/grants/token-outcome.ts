/**
 * What a provider's token endpoint answered, classified by the provider's adapter (by status and
 * error fields, never by message text). The engine acts on these kinds only.
 */
export interface TokenSet {
  accessToken: string;
  /** Absent when the provider did not rotate (Spotify's 2026 behaviour): keep the current one. */
  refreshToken: string | null;
  expiresInSec: number;
  /** The provider's own absolute expiry (Strava's `expires_at`), if it gives one; the earlier of the two counts. */
  expiresAtMs?: number;
  scope: string | null;
}

export type TokenOutcome =
  | { kind: 'ok'; tokens: TokenSet }
  /** The grant is refused (revoked, expired, unknown). Never retry it. */
  | { kind: 'invalid_grant' }
  /** Our client id / secret are wrong. An app-wide alarm. */
  | { kind: 'invalid_client' }
  /** 5xx, 429, timeouts, dropped connections, non-JSON: keep the grant, back off. */
  | { kind: 'transient'; failure: 'network' | 'rate' | 'unknown'; status: number }
  /** Anything else (e.g. invalid_request): a bug on our side; keep the grant. */
  | { kind: 'rejected'; status: number; error: string };
