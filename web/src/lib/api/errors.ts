/**
 * Every failed API call becomes an ApiError value; nothing in lib/api throws for an HTTP or
 * network failure. `code` is the server's stable machine-readable code (its error body is
 * `{error:{code,message,requestId}}`; the codes, statuses and retryability are the REST
 * contract's catalog, core/api/errors.ts), or one of the client-side codes below.
 */
import { isRetryable as catalogSaysRetryable, type ApiErrorCode } from '$core/api/errors';

export type { ApiErrorCode };

export interface ApiError {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  code: string;
  message: string;
  requestId: string | null;
  /** Seconds from a Retry-After header (429, 503), when present. */
  retryAfterSeconds?: number;
}

/** No response: offline, DNS, connection refused, or the request timed out. */
export const NETWORK = 'network';
/** The caller aborted the request: a cancellation, not a failure to show. */
export const ABORTED = 'aborted';
/** A response arrived but its body was not what the contract promises. */
export const BAD_RESPONSE = 'bad_response';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ApiError): ApiResult<T> {
  return { ok: false, error };
}

export function clientError(code: string, message: string): ApiError {
  return { status: 0, code, message, requestId: null };
}

export function isNetworkError(error: ApiError): boolean {
  return error.code === NETWORK;
}

/**
 * Whether the same request may succeed later unchanged: no answer (offline, timeout) or what
 * the error catalog says of the server's code (by status for a code this build does not know).
 * A cancellation or an answer that broke the contract is not retried.
 */
export function isRetryable(error: ApiError): boolean {
  if (error.code === NETWORK) return true;
  if (error.code === ABORTED || error.code === BAD_RESPONSE) return false;
  return catalogSaysRetryable(error.code, error.status);
}
