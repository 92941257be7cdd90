/**
 * Typed errors with stable codes. Domain and adapter code throws or returns these; the
 * HTTP status is chosen once, here, at the edge (see toHttpStatus), never in handlers.
 */

import { API_ERRORS, type ApiErrorCode } from '../../../core/api/errors';

/**
 * The HTTP status of every code. The codes themselves, their statuses and whether each is
 * retryable are the REST contract's error catalog (core/api/errors.ts, shared with the PWA):
 * a new code is added there.
 */
export const errorStatus = Object.fromEntries(Object.entries(API_ERRORS).map(([code, e]) => [code, e.status])) as {
  readonly [C in ApiErrorCode]: (typeof API_ERRORS)[C]['status'];
};

export type ErrorCode = ApiErrorCode;

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

  /** Whether the same request may succeed later unchanged (the catalog's word, for logs and clients). */
  get retryable(): boolean {
    return API_ERRORS[this.code].retryable;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
