/**
 * Typed calls for /api/v1/intervals (the adapter screens use; none throws). The member's API key
 * is sent once, to connect; no answer ever carries it back. Connecting by OAuth is a full
 * navigation to INTERVALS_CONNECT_URL: the token stays on the server.
 */
import { z } from 'zod';
import { IntervalsDisconnectSchema, IntervalsStatusSchema, IntervalsUploadSchema, IntervalsUploadsSchema, type IntervalsStatus, type IntervalsUpload } from '$core/api';
import { createHttpClient, type HttpClient } from '$lib/api';
import type { ApiResult } from '$lib/api/errors';
import { waitUntilText } from './wait-until';

export type { IntervalsStatus, IntervalsUpload };
export type IntervalsMode = 'off' | 'auto' | 'manual';

export const INTERVALS_SETTINGS_URL = 'https://intervals.icu/settings';
/** The server sends the browser to intervals.icu and back to /account?intervals=connected|error. */
export const INTERVALS_CONNECT_URL = '/api/v1/intervals/connect/oauth';

/** What the PWA says about a failed OAuth connect (`/account?intervals=error&reason=`). */
export function describeIntervalsConnectFailure(reason: string | null): string {
  switch (reason) {
    case 'denied':
      return 'intervals.icu was not connected: the approval was cancelled.';
    case 'scope':
      return 'intervals.icu was not connected: HRM needs permission to write activities (ACTIVITY:WRITE). Connect again and leave that box ticked.';
    case 'state':
      return 'That intervals.icu connection attempt expired or came from another sign-in. Try again.';
    case 'exchange':
      return 'intervals.icu did not confirm the connection (it took too long or was already used). Try again.';
    case 'unavailable':
      return 'intervals.icu did not answer. Try again shortly.';
    case 'misconfigured':
      return "intervals.icu refused this server's app credentials. Tell the operator, or use your personal API key.";
    case 'not_configured':
      return 'Connecting with intervals.icu is not set up on this server: use your personal API key.';
    default:
      return 'intervals.icu was not connected. Try again.';
  }
}

export interface IntervalsApi {
  status(signal?: AbortSignal): Promise<ApiResult<IntervalsStatus>>;
  connect(apiKey: string, signal?: AbortSignal): Promise<ApiResult<IntervalsStatus>>;
  disconnect(signal?: AbortSignal): Promise<ApiResult<{ disconnected: true; settingsUrl: string }>>;
  setPreferences(prefs: { mode?: IntervalsMode; wellness?: boolean }, signal?: AbortSignal): Promise<ApiResult<{ mode: IntervalsMode; wellness: boolean }>>;
  uploads(sessionIds: readonly string[], signal?: AbortSignal): Promise<ApiResult<{ uploads: IntervalsUpload[]; waitingUntil: string | null }>>;
  upload(sessionId: string, signal?: AbortSignal): Promise<ApiResult<IntervalsUpload>>;
  retry(sessionId: string, signal?: AbortSignal): Promise<ApiResult<IntervalsUpload>>;
}

const PrefsSchema = z.object({ mode: z.enum(['off', 'auto', 'manual']), wellness: z.boolean() });
const OneUploadSchema = z.object({ upload: IntervalsUploadSchema });
const pick = <T, U>(r: ApiResult<T>, f: (v: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);

export function createIntervalsApi(http: HttpClient): IntervalsApi {
  const base = '/intervals';
  return {
    status: (signal) => http.request(`${base}/status`, { signal, schema: IntervalsStatusSchema }),
    connect: (apiKey, signal) => http.request(`${base}/connect`, { method: 'POST', body: { apiKey }, signal, schema: IntervalsStatusSchema }),
    disconnect: (signal) => http.request(`${base}/disconnect`, { method: 'POST', signal, schema: IntervalsDisconnectSchema }),
    setPreferences: (prefs, signal) => http.request(`${base}/preferences`, { method: 'PUT', body: prefs, signal, schema: PrefsSchema }),
    uploads: (ids, signal) => http.request(`${base}/uploads?sessions=${ids.map(encodeURIComponent).join(',')}`, { signal, schema: IntervalsUploadsSchema }),
    upload: async (sessionId, signal) => pick(await http.request(`${base}/uploads`, { method: 'POST', body: { sessionId }, signal, schema: OneUploadSchema }), (v) => v.upload),
    retry: async (sessionId, signal) =>
      pick(await http.request(`${base}/uploads/${encodeURIComponent(sessionId)}/retry`, { method: 'POST', signal, schema: OneUploadSchema }), (v) => v.upload),
  };
}

/** Same origin, through the app's one fetch caller; each screen makes its own instance. */
export const createBrowserIntervalsApi = (): IntervalsApi => createIntervalsApi(createHttpClient());

/** One line about a workout's upload to intervals.icu, for history. */
export function describeIntervalsUpload(u: IntervalsUpload): string {
  switch (u.state) {
    case 'queued':
      return u.waitingUntil ? `Waiting for intervals.icu's rate limit (until ${waitUntilText(u.waitingUntil, Date.now())}).` : 'Queued for intervals.icu.';
    case 'uploading':
    case 'processing':
      return 'Uploading to intervals.icu…';
    case 'done':
      return 'On intervals.icu.';
    case 'duplicate':
      return 'Already on intervals.icu (the existing activity).';
    case 'failed':
      return u.reason === 'needs_reconnect' || u.reason === 'not_connected'
        ? 'Not uploaded: connect intervals.icu again (Account → intervals.icu).'
        : `Not uploaded: ${u.error ?? 'intervals.icu refused it.'}`;
    case 'cancelled':
      return 'Not uploaded (the workout was deleted).';
  }
}
