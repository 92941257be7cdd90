/**
 * Typed errors with stable codes. Domain and adapter code throws or returns these; the
 * HTTP status is chosen once, here, at the edge (see toHttpStatus), never in handlers.
 */

export const errorStatus = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_query: 400,
  weak_password: 400,
  // More than PocketBase's bcrypt limit (core/auth/password-rules.ts MAX_PASSWORD_BYTES).
  password_too_long: 400,
  invalid_token: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  account_locked: 429,
  db_unavailable: 503,
  internal: 500,
  // Spotify (routes/spotify.ts maps the feature's problems to these).
  spotify_not_configured: 404,
  spotify_not_connected: 409,
  spotify_needs_reconnect: 409,
  spotify_rate_limited: 429,
  spotify_quota_exceeded: 429,
  spotify_unavailable: 503,
  spotify_misconfigured: 503,
  spotify_premium_required: 403,
  spotify_no_active_device: 409,
  spotify_limited_beta: 403,
  spotify_forbidden: 403,
  spotify_volume_unsupported: 409,
  spotify_device_not_found: 404,
  spotify_rejected: 502,
  spotify_invalid_request: 400,
  // Sync protocol (docs/sync-protocol.md §7): request-level codes.
  invalid_request: 400,
  unsupported_protocol: 400,
  stale_cursor: 409,
  sync_busy: 503,
  // Class mode (routes/rooms.ts).
  timer_rejected: 409,
  participant_removed: 403,
  upgrade_required: 426,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryAfterSec?: number; fields?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
