import { describe, expect, it } from 'vitest';
import { API_ERRORS, ErrorBodySchema, isRetryable, PushResponseSchema, type ApiErrorCode } from '../../core/api';
import { liveSession, pushBody, upsert } from '../../core/sync/testing/fixtures';
import { AppError, errorStatus } from '../../sync-server/src/http/errors';
import { createMemorySyncApp } from '../../sync-server/src/sync/testing/memory-sync-app';
import { isRetryable as clientRetries } from '../../web/src/lib/api/errors';

// The REST contract is defined once (core/api): the server maps codes to statuses through the
// catalog, and the PWA's client reads the same catalog to decide what to retry.
const codes = Object.keys(API_ERRORS) as ApiErrorCode[];

describe('the error catalog', () => {
  it('is the server’s status table: every AppError answers its catalog status', () => {
    expect(Object.keys(errorStatus).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(errorStatus[code]).toBe(API_ERRORS[code].status);
      expect(new AppError(code, 'x').status).toBe(API_ERRORS[code].status);
      expect(new AppError(code, 'x').retryable).toBe(API_ERRORS[code].retryable);
    }
  });

  it('retryable codes are the 429 and 5xx answers that end by themselves', () => {
    for (const code of codes) {
      const { status, retryable } = API_ERRORS[code];
      if (retryable) expect([429, 500, 503], code).toContain(status);
      else if (status >= 500) expect(['spotify_misconfigured', 'spotify_rejected'], code).toContain(code);
    }
    expect(isRetryable('sync_busy', 503)).toBe(true);
    expect(isRetryable('stale_cursor', 409)).toBe(false);
    // A code this build does not know: by its status.
    expect(isRetryable('brand_new_code', 503)).toBe(true);
    expect(isRetryable('brand_new_code', 400)).toBe(false);
  });

  it('the PWA retries what the catalog says, and a lost connection', () => {
    const error = (code: string, status: number) => ({ code, status, message: '', requestId: null });
    expect(clientRetries(error('network', 0))).toBe(true);
    expect(clientRetries(error('aborted', 0))).toBe(false);
    expect(clientRetries(error('rate_limited', 429))).toBe(true);
    expect(clientRetries(error('unauthenticated', 401))).toBe(false);
    expect(clientRetries(error('spotify_needs_reconnect', 409))).toBe(false);
  });
});

describe('the sync routes speak the contract', () => {
  it('a push answer parses with the shared schema; errors carry the envelope and a catalog code', async () => {
    const server = createMemorySyncApp();
    const cookie = await server.signIn('member1');
    const post = (body: unknown) => server.app.request('/api/v1/sync/push', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post(pushBody('phone-a1', [upsert(liveSession({ startedAt: Date.now() - 3_600_000, deviceId: 'phone-a1' }))]));
    expect(ok.status).toBe(200);
    expect(PushResponseSchema.safeParse(await ok.json()).success).toBe(true);

    const bad = await post({ protocol: 1, deviceId: 'phone-a1', mutations: 'no' });
    expect(bad.status).toBe(API_ERRORS.invalid_request.status);
    expect(ErrorBodySchema.parse(await bad.json()).error.code).toBe('invalid_request');

    const anonymous = await server.app.request('/api/v1/sync/pull?protocol=1&deviceId=phone-a1');
    expect(anonymous.status).toBe(API_ERRORS.unauthenticated.status);
    expect(ErrorBodySchema.parse(await anonymous.json()).error.code).toBe('unauthenticated');
  });
});
