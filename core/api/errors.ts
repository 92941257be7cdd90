/**
 * The REST API's error catalog, defined once for both ends: every stable `code` an
 * /api/v1 error body can carry, the HTTP status the server answers it with
 * (sync-server/src/http/errors.ts maps AppError codes through this table, once, at the edge),
 * and whether the same request may succeed later unchanged (`retryable`: the client waits,
 * honouring Retry-After when present, and sends it again; otherwise it must change something:
 * sign in, fix the input, reconnect Spotify, pull from the start…).
 *
 * The body is the envelope of ErrorBodySchema: `{ error: { code, message, requestId } }`.
 * Codes are never renamed or reused; a client meeting a code it does not know falls back on
 * the status (isRetryableStatus).
 */
import { z } from 'zod';

type Entry = { readonly status: number; readonly retryable: boolean };

export const API_ERRORS = {
  invalid_json: { status: 400, retryable: false },
  invalid_body: { status: 400, retryable: false },
  invalid_query: { status: 400, retryable: false },
  weak_password: { status: 400, retryable: false },
  // More than PocketBase's bcrypt limit (core/auth/password-rules.ts MAX_PASSWORD_BYTES).
  password_too_long: { status: 400, retryable: false },
  invalid_token: { status: 400, retryable: false },
  unauthenticated: { status: 401, retryable: false },
  invalid_credentials: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  csrf_rejected: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  method_not_allowed: { status: 405, retryable: false },
  conflict: { status: 409, retryable: false },
  // Room hub (issue 15): a strap another member registered; a strap participant another phone claimed.
  strap_taken: { status: 409, retryable: false },
  strap_claimed: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rate_limited: { status: 429, retryable: true },
  account_locked: { status: 429, retryable: true },
  db_unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: true },
  // Spotify (routes/spotify.ts maps the feature's problems to these).
  spotify_not_configured: { status: 404, retryable: false },
  spotify_not_connected: { status: 409, retryable: false },
  spotify_needs_reconnect: { status: 409, retryable: false },
  spotify_rate_limited: { status: 429, retryable: true },
  spotify_quota_exceeded: { status: 429, retryable: true },
  spotify_unavailable: { status: 503, retryable: true },
  spotify_misconfigured: { status: 503, retryable: false },
  spotify_premium_required: { status: 403, retryable: false },
  spotify_no_active_device: { status: 409, retryable: false },
  spotify_limited_beta: { status: 403, retryable: false },
  spotify_forbidden: { status: 403, retryable: false },
  spotify_volume_unsupported: { status: 409, retryable: false },
  spotify_device_not_found: { status: 404, retryable: false },
  spotify_rejected: { status: 502, retryable: false },
  spotify_invalid_request: { status: 400, retryable: false },
  // Strava (routes/strava.ts).
  strava_not_configured: { status: 404, retryable: false },
  strava_not_connected: { status: 409, retryable: false },
  strava_needs_reconnect: { status: 409, retryable: false },
  // intervals.icu (routes/intervals.ts).
  intervals_not_configured: { status: 404, retryable: false },
  intervals_not_connected: { status: 409, retryable: false },
  intervals_needs_reconnect: { status: 409, retryable: false },
  intervals_invalid_key: { status: 400, retryable: false },
  intervals_unavailable: { status: 503, retryable: true },
  intervals_scope_missing: { status: 409, retryable: false },
  // Sync protocol (docs/sync-protocol.md §7): request-level codes.
  invalid_request: { status: 400, retryable: false },
  unsupported_protocol: { status: 400, retryable: false },
  stale_cursor: { status: 409, retryable: false },
  sync_busy: { status: 503, retryable: true },
  // Class mode (routes/rooms.ts).
  timer_rejected: { status: 409, retryable: false },
  participant_removed: { status: 403, retryable: false },
  upgrade_required: { status: 426, retryable: false },
} as const satisfies Record<string, Entry>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const isApiErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(API_ERRORS, code);

/** Statuses whose requests may succeed later unchanged (for codes this build does not know). */
export const isRetryableStatus = (status: number) => status === 429 || status === 502 || status === 503 || status === 504 || status === 500;

/** Whether the same request may succeed later: by the catalog, else by the status. */
export function isRetryable(code: string, status: number): boolean {
  return isApiErrorCode(code) ? API_ERRORS[code].retryable : isRetryableStatus(status);
}

/** The error envelope every /api/v1 error answers with (app.ts errorResponse). */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1).max(64),
    message: z.string().max(1000).optional(),
    requestId: z.string().max(128).nullable().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
