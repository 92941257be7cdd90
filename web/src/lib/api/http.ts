/**
 * The one place in the PWA that calls fetch. JSON in and out, same-origin cookies, a timeout,
 * an optional caller AbortSignal, and every outcome returned as an ApiResult value.
 */
import { ABORTED, BAD_RESPONSE, NETWORK, fail, ok, type ApiError, type ApiResult } from './errors';
import { ErrorBodySchema } from '$core/api/errors';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Anything with zod's safeParse: the response body is validated before it is trusted. */
export interface BodySchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

export interface RequestOptions<T> {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
  /** Validates a JSON response body; without it the body is ignored and the value is undefined. */
  schema?: BodySchema<T>;
  /** Extra request headers, e.g. a class participant's `Authorization: Bearer` token. */
  headers?: Record<string, string>;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Prefix of every path; same origin as the page. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Told after every call whether the server answered at all (for the offline banner). */
  onReachability?: (reachable: boolean) => void;
  now?: () => number;
}

export interface HttpClient {
  request<T = void>(path: string, options?: RequestOptions<T>): Promise<ApiResult<T>>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '/api/v1';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const report = options.onReachability ?? (() => {});

  async function request<T = void>(path: string, opts: RequestOptions<T> = {}): Promise<ApiResult<T>> {
    const { method = 'GET', body, signal, schema } = opts;
    if (signal?.aborted) return fail(aborted());

    // One controller for both the caller's signal and our timeout.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    const headers: Record<string, string> = { ...opts.headers, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch {
      if (signal?.aborted && !timedOut) return fail(aborted());
      report(false);
      return fail({
        status: 0,
        code: NETWORK,
        message: timedOut ? 'The server did not answer in time.' : 'Could not reach the server.',
        requestId: null,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
    report(true);

    if (!response.ok) return fail(await readError(response, now()));
    if (!schema) return ok(undefined as T);

    const json = await readJson(response);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return fail({
        status: response.status,
        code: BAD_RESPONSE,
        message: 'The server sent an unexpected answer.',
        requestId: response.headers.get('x-request-id'),
      });
    }
    return ok(parsed.data);
  }

  return { request };
}

function aborted(): ApiError {
  return { status: 0, code: ABORTED, message: 'Cancelled.', requestId: null };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function readError(response: Response, nowMs: number): Promise<ApiError> {
  const parsed = ErrorBodySchema.safeParse(await readJson(response));
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), nowMs);
  const error: ApiError = parsed.success
    ? {
        status: response.status,
        code: parsed.data.error.code,
        message: parsed.data.error.message ?? '',
        requestId: parsed.data.error.requestId ?? response.headers.get('x-request-id'),
      }
    : {
        status: response.status,
        code: `http_${response.status}`,
        message: response.statusText,
        requestId: response.headers.get('x-request-id'),
      };
  if (retryAfterSeconds !== undefined) error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}
