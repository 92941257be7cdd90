/**
 * The outcomes of asking the grant engine for an access token, the same for every provider
 * (style.md rule 5): the provider's routes map each to one AppError code and HTTP status.
 * - not_connected: no grant;
 * - needs_reconnect: the provider refused the grant (revoked, expired) or our copy cannot be opened;
 * - unavailable: temporarily unavailable (token endpoint failing, a refresh still running
 *   elsewhere), with a Retry-After;
 * - misconfigured: the provider refused our client credentials (an app-wide alarm);
 * - rate_limited: the provider's app-wide limit is reached, with a Retry-After.
 */
export type GrantProblem = 'not_connected' | 'needs_reconnect' | 'unavailable' | 'misconfigured' | 'rate_limited';

export interface GrantProblemResult {
  ok: false;
  problem: GrantProblem;
  retryAfterMs?: number;
}

export const grantProblem = (p: GrantProblem, retryAfterMs?: number): GrantProblemResult =>
  retryAfterMs === undefined ? { ok: false, problem: p } : { ok: false, problem: p, retryAfterMs };
