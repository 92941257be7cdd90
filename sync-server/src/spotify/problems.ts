/**
 * Expected Spotify outcomes, as values (style.md rule 5). routes/spotify.ts maps each to one
 * AppError code and HTTP status, once, at the edge.
 */
export type SpotifyProblem =
  | 'not_configured'
  | 'not_connected'
  | 'needs_reconnect'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'unavailable'
  | 'misconfigured'
  | 'premium_required'
  | 'no_active_device'
  | 'limited_beta'
  | 'forbidden'
  | 'volume_unsupported'
  | 'device_not_found'
  | 'rejected'
  | 'invalid_request';

export interface Problem {
  ok: false;
  problem: SpotifyProblem;
  retryAfterMs?: number;
}

export const problem = (p: SpotifyProblem, retryAfterMs?: number): Problem =>
  retryAfterMs === undefined ? { ok: false, problem: p } : { ok: false, problem: p, retryAfterMs };
