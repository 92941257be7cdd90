/**
 * Typed calls for /api/v1/strava (the adapter screens use; none throws). The server is the only
 * holder of Strava tokens: these answers carry states, never credentials.
 */
import { z } from 'zod';
import { StravaDisconnectSchema, StravaStatusSchema, StravaUploadSchema, StravaUploadsSchema, type StravaStatus, type StravaUpload } from '$core/api';
import { createHttpClient, type HttpClient } from '$lib/api';
import type { ApiResult } from '$lib/api/errors';
import { waitUntilText } from './wait-until';

export type { StravaStatus, StravaUpload };
export type StravaMode = 'off' | 'auto' | 'manual';

export const STRAVA_MANAGE_APPS_URL = 'https://www.strava.com/settings/apps';
export const STRAVA_CONNECT_URL = '/api/v1/strava/connect';

export interface StravaApi {
  status(signal?: AbortSignal): Promise<ApiResult<StravaStatus>>;
  disconnect(signal?: AbortSignal): Promise<ApiResult<{ revokedAtStrava: boolean; manageAppsUrl: string }>>;
  setMode(mode: StravaMode, signal?: AbortSignal): Promise<ApiResult<{ mode: StravaMode }>>;
  uploads(sessionIds: readonly string[], signal?: AbortSignal): Promise<ApiResult<{ uploads: StravaUpload[]; waitingUntil: string | null }>>;
  upload(sessionId: string, signal?: AbortSignal): Promise<ApiResult<StravaUpload>>;
  retry(sessionId: string, signal?: AbortSignal): Promise<ApiResult<StravaUpload>>;
}

const ModeSchema = z.object({ mode: z.enum(['off', 'auto', 'manual']) });
const OneUploadSchema = z.object({ upload: StravaUploadSchema });
const pick = <T, U>(r: ApiResult<T>, f: (v: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);

export function createStravaApi(http: HttpClient): StravaApi {
  const base = '/strava';
  return {
    status: (signal) => http.request(`${base}/status`, { signal, schema: StravaStatusSchema }),
    disconnect: (signal) => http.request(`${base}/disconnect`, { method: 'POST', signal, schema: StravaDisconnectSchema }),
    setMode: (mode, signal) => http.request(`${base}/preferences`, { method: 'PUT', body: { mode }, signal, schema: ModeSchema }),
    uploads: (ids, signal) => http.request(`${base}/uploads?sessions=${ids.map(encodeURIComponent).join(',')}`, { signal, schema: StravaUploadsSchema }),
    upload: async (sessionId, signal) => pick(await http.request(`${base}/uploads`, { method: 'POST', body: { sessionId }, signal, schema: OneUploadSchema }), (v) => v.upload),
    retry: async (sessionId, signal) =>
      pick(await http.request(`${base}/uploads/${encodeURIComponent(sessionId)}/retry`, { method: 'POST', signal, schema: OneUploadSchema }), (v) => v.upload),
  };
}

/** Same origin, through the app's one fetch caller; each screen makes its own instance. */
export const createBrowserStravaApi = (): StravaApi => createStravaApi(createHttpClient());

/** What the PWA says about a failed connect (`/account?strava=error&reason=`). */
export function describeStravaConnectFailure(reason: string | null): string {
  switch (reason) {
    case 'denied':
      return 'Strava was not connected: the approval was cancelled.';
    case 'scope':
      return 'Strava was not connected: HRM needs permission to upload activities. Connect again and leave that box ticked.';
    case 'state':
      return 'That Strava connection attempt expired or came from another sign-in. Try again.';
    case 'unavailable':
      return 'Strava did not answer. Try again shortly.';
    case 'misconfigured':
      return "Strava refused this server's app credentials. Tell the operator.";
    case 'not_configured':
      return 'Strava is not set up on this server.';
    default:
      return 'Strava could not be connected. Try again.';
  }
}

/** One line about a workout's upload, for history. */
export function describeUpload(u: StravaUpload): string {
  switch (u.state) {
    case 'queued':
      return u.waitingUntil ? `Waiting for Strava's rate limit (until ${waitUntilText(u.waitingUntil, Date.now())}).` : 'Queued for Strava.';
    case 'uploading':
      return 'Uploading to Strava…';
    case 'processing':
      return 'Strava is processing the upload…';
    case 'done':
      return 'On Strava.';
    case 'duplicate':
      return 'Already on Strava (a duplicate of an existing activity).';
    case 'failed':
      return u.reason === 'needs_reconnect' || u.reason === 'not_connected' ? 'Not uploaded: connect Strava again (Account → Strava).' : `Not uploaded: ${u.error ?? 'Strava refused it.'}`;
    case 'cancelled':
      return 'Not uploaded (the workout was deleted).';
  }
}
