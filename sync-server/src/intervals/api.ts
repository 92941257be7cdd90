import { NO_RATE, type ApiAnswer, type RateUsage, type UploadsApi, type UploadView } from '../uploads/provider';

/**
 * intervals.icu's API as HRM uses it (tests/intervals-emulator/README.md names the sources): a
 * personal API key in HTTP Basic (`API_KEY:<key>`) or an OAuth access token as `Bearer`; athlete
 * id `0` = the key's or token's owner. Every call takes the whole `Authorization` value
 * (`keyAuthorization`, `bearerAuthorization`): the grant's kind decides it (grants.ts).
 * - `GET /athlete/0`: checks a key at connect;
 * - `POST /athlete/0/activities` (multipart `file`, `name`, `description`, `external_id`): the
 *   answer names the activity at once (no processing to poll); a file intervals.icu already has
 *   comes back with the existing activity (`duplicate`);
 * - `GET /athlete/0/activities?oldest&newest`: finds an earlier attempt's activity by external_id;
 * - `PUT /athlete/0/wellness/{date}`: the day's resting HR and HRV (an update: idempotent).
 * 401 and 403 both mean the key or token is not (or no longer) accepted (a member who removed
 * the app, or a scope not granted). The secret only ever goes into the Authorization header.
 */
const UPLOAD_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 10_000;

export const keyAuthorization = (apiKey: string) => `Basic ${Buffer.from(`API_KEY:${apiKey}`, 'utf8').toString('base64')}`;
export const bearerAuthorization = (accessToken: string) => `Bearer ${accessToken}`;

const rateOf = (res: Response): RateUsage => {
  const ra = res.headers.get('retry-after');
  const sec = ra !== null && /^\d+$/.test(ra.trim()) ? Number(ra.trim()) : null;
  return { ...NO_RATE, retryAfterSec: sec };
};

export function uploadAnswer(json: unknown, status: number): UploadView | null {
  const b = (json ?? {}) as { id?: unknown; duplicate?: unknown; activities?: { id?: unknown }[] };
  const first = Array.isArray(b.activities) ? b.activities[0] : undefined;
  const id = typeof first?.id === 'string' || typeof first?.id === 'number' ? String(first.id) : typeof b.id === 'string' || typeof b.id === 'number' ? String(b.id) : null;
  if (id === null) return null;
  // 201: a new activity; 200 with `duplicate`: the one already there.
  const duplicate = b.duplicate === true && status < 300;
  return { uploadId: String(b.id ?? id), status: '', error: null, activityId: duplicate ? null : id, duplicateOf: duplicate ? id : null };
}

export interface IntervalsApi extends UploadsApi {
  athlete(authorization: string): Promise<ApiAnswer<{ id: string; name: string }>>;
  putWellness(authorization: string, date: string, body: Record<string, number>): Promise<ApiAnswer<true>>;
}

export function createIntervalsApi(apiUrl: string, opts: { fetch?: typeof fetch } = {}): IntervalsApi {
  const fetchImpl = opts.fetch ?? fetch;
  const base = apiUrl.replace(/\/+$/, '');

  async function call<T>(path: string, init: RequestInit, timeoutMs: number, parse: (json: unknown, status: number) => T | null): Promise<ApiAnswer<T>> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      return { kind: 'transient', status: 0, rate: NO_RATE };
    }
    const rate = rateOf(res);
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', rate };
    if (res.status === 429) return { kind: 'rate_limited', rate };
    if (res.status === 404) return { kind: 'not_found', rate };
    if (res.status >= 500 || (res.status >= 200 && res.status < 300 && json === null)) return { kind: 'transient', status: res.status, rate };
    if (res.status >= 400) {
      const e = (json ?? {}) as { error?: unknown };
      return { kind: 'rejected', status: res.status, error: (typeof e.error === 'string' ? e.error : `HTTP ${res.status}`).slice(0, 200), rate };
    }
    const value = parse(json, res.status);
    return value === null ? { kind: 'transient', status: res.status, rate } : { kind: 'ok', value, rate };
  }

  const headers = (authorization: string) => ({ Authorization: authorization, Accept: 'application/json' });
  const isoDate = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 10);

  return {
    athlete(key) {
      return call('/athlete/0', { headers: headers(key) }, READ_TIMEOUT_MS, (json) => {
        const b = (json ?? {}) as { id?: unknown; name?: unknown };
        return typeof b.id === 'string' || typeof b.id === 'number' ? { id: String(b.id), name: typeof b.name === 'string' ? b.name : '' } : null;
      });
    },
    upload(key, input) {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(input.file)]), input.fileName);
      form.set('name', input.name);
      form.set('description', input.description);
      form.set('external_id', input.externalId);
      return call('/athlete/0/activities', { method: 'POST', headers: headers(key), body: form }, UPLOAD_TIMEOUT_MS, uploadAnswer);
    },
    // Uploads are not processed asynchronously: there is never an upload to poll.
    async getUpload() {
      return { kind: 'not_found', rate: NO_RATE };
    },
    activities(key, afterSec, beforeSec) {
      const q = new URLSearchParams({ oldest: isoDate(afterSec), newest: isoDate(beforeSec) });
      return call(`/athlete/0/activities?${q}`, { headers: headers(key) }, READ_TIMEOUT_MS, (json) =>
        Array.isArray(json) ? json.map((a: { id?: unknown; external_id?: unknown }) => ({ id: String(a.id), externalId: typeof a.external_id === 'string' ? a.external_id : null })) : null,
      );
    },
    putWellness(key, date, body) {
      return call(
        `/athlete/0/wellness/${encodeURIComponent(date)}`,
        { method: 'PUT', headers: { ...headers(key), 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
        READ_TIMEOUT_MS,
        () => true as const,
      );
    },
  };
}
