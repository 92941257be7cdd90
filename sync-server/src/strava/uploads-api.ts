/**
 * Strava's upload API (tests/strava-emulator/README.md): `POST /uploads` (multipart), `GET
 * /uploads/{id}`, `GET /athlete/activities`. Every answer is classified by status and shape, and
 * carries the application's rate-limit usage from `X-RateLimit-*` / `X-ReadRateLimit-*`. The
 * access token only ever goes into the Authorization header.
 */
export const UPLOAD_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 10_000;

export interface RateUsage {
  /** [15 min, day] of the overall limit, and of the read ("non-upload") limit. */
  limit: [number, number] | null;
  usage: [number, number] | null;
  readLimit: [number, number] | null;
  readUsage: [number, number] | null;
}

export interface UploadView {
  uploadId: string;
  /** Strava's words while processing or on error. */
  status: string;
  error: string | null;
  activityId: string | null;
  /** The activity this file duplicates, when Strava refused it as a duplicate. */
  duplicateOf: string | null;
}

export type ApiAnswer<T> =
  | { kind: 'ok'; value: T; rate: RateUsage }
  | { kind: 'unauthorized'; rate: RateUsage }
  | { kind: 'rate_limited'; rate: RateUsage }
  | { kind: 'not_found'; rate: RateUsage }
  | { kind: 'rejected'; status: number; error: string; rate: RateUsage }
  /** No answer or a server error: the request may or may not have taken effect. */
  | { kind: 'transient'; status: number; rate: RateUsage };

export interface UploadInput {
  file: Uint8Array;
  fileName: string;
  externalId: string;
  name: string;
  description: string;
  trainer: boolean;
}

export interface StravaUploadsApi {
  upload(token: string, input: UploadInput): Promise<ApiAnswer<UploadView>>;
  getUpload(token: string, uploadId: string): Promise<ApiAnswer<UploadView>>;
  /** Activities started between after and before (epoch s), one page, newest first. */
  activities(token: string, afterSec: number, beforeSec: number): Promise<ApiAnswer<{ id: string; externalId: string | null }[]>>;
}

const pair = (h: string | null): [number, number] | null => {
  if (!h) return null;
  const [a, b] = h.split(',').map((x) => Number(x.trim()));
  return Number.isFinite(a) && Number.isFinite(b) ? [a!, b!] : null;
};

export function readRate(headers: Headers): RateUsage {
  return {
    limit: pair(headers.get('x-ratelimit-limit')),
    usage: pair(headers.get('x-ratelimit-usage')),
    readLimit: pair(headers.get('x-readratelimit-limit')),
    readUsage: pair(headers.get('x-readratelimit-usage')),
  };
}

const NO_RATE: RateUsage = { limit: null, usage: null, readLimit: null, readUsage: null };
const DUPLICATE = /duplicate of (?:activity )?(?:<a[^>]*>)?(\d+)/i;

export function uploadView(json: unknown): UploadView | null {
  const b = (json ?? {}) as Record<string, unknown>;
  const id = typeof b.id === 'number' ? String(b.id) : typeof b.id_str === 'string' ? b.id_str : null;
  if (id === null) return null;
  const error = typeof b.error === 'string' && b.error !== '' ? b.error : null;
  const activityId = typeof b.activity_id === 'number' ? String(b.activity_id) : null;
  const dup = error ? DUPLICATE.exec(error) : null;
  return { uploadId: id, status: typeof b.status === 'string' ? b.status : '', error, activityId, duplicateOf: dup ? dup[1]! : null };
}

export function createStravaUploadsApi(apiUrl: string, opts: { fetch?: typeof fetch } = {}): StravaUploadsApi {
  const fetchImpl = opts.fetch ?? fetch;

  async function call<T>(path: string, init: RequestInit, timeoutMs: number, parse: (json: unknown) => T | null): Promise<ApiAnswer<T>> {
    let res: Response;
    try {
      res = await fetchImpl(`${apiUrl}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      return { kind: 'transient', status: 0, rate: NO_RATE };
    }
    const rate = readRate(res.headers);
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 401) return { kind: 'unauthorized', rate };
    if (res.status === 429) return { kind: 'rate_limited', rate };
    if (res.status === 404) return { kind: 'not_found', rate };
    if (res.status >= 500 || (res.status >= 200 && res.status < 300 && json === null)) return { kind: 'transient', status: res.status, rate };
    if (res.status >= 400) {
      const b = (json ?? {}) as { message?: unknown; errors?: { field?: unknown; code?: unknown }[] };
      const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
      const what = [typeof b.message === 'string' ? b.message : '', typeof first?.field === 'string' ? first.field : '', typeof first?.code === 'string' ? first.code : ''].filter(Boolean).join(' ');
      return { kind: 'rejected', status: res.status, error: (what || `HTTP ${res.status}`).slice(0, 200), rate };
    }
    const value = parse(json);
    return value === null ? { kind: 'transient', status: res.status, rate } : { kind: 'ok', value, rate };
  }

  const auth = (token: string) => ({ Authorization: `Bearer ${token}`, Accept: 'application/json' });

  return {
    upload(token, input) {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(input.file)]), input.fileName);
      form.set('data_type', 'fit');
      form.set('external_id', input.externalId);
      form.set('name', input.name);
      form.set('description', input.description);
      form.set('trainer', input.trainer ? '1' : '0');
      return call('/uploads', { method: 'POST', headers: auth(token), body: form }, UPLOAD_TIMEOUT_MS, uploadView);
    },
    getUpload(token, uploadId) {
      return call(`/uploads/${encodeURIComponent(uploadId)}`, { headers: auth(token) }, READ_TIMEOUT_MS, uploadView);
    },
    activities(token, afterSec, beforeSec) {
      const q = new URLSearchParams({ after: String(Math.floor(afterSec)), before: String(Math.ceil(beforeSec)), per_page: '100' });
      return call(`/athlete/activities?${q}`, { headers: auth(token) }, READ_TIMEOUT_MS, (json) =>
        Array.isArray(json)
          ? json.map((a: { id?: unknown; external_id?: unknown }) => ({ id: String(a.id), externalId: typeof a.external_id === 'string' ? a.external_id : null }))
          : null,
      );
    },
  };
}
