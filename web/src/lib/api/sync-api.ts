/**
 * Typed calls for /api/v1/sync (docs/sync-protocol.md §2). Bodies are validated with the
 * core/sync wire schemas both ends share; each call returns an ApiResult and never throws.
 */
import { PROTOCOL_VERSION, PullResponseSchema, PushResponseSchema, type Mutation, type PullResponse, type PushResponse } from '$core/sync';
import type { ApiResult } from './errors';
import type { HttpClient } from './http';

export interface PullParams {
  deviceId: string;
  cursor: string | null;
  limit?: number;
}

export interface SyncApi {
  push(input: { deviceId: string; clientId?: string; mutations: Mutation[] }, signal?: AbortSignal): Promise<ApiResult<PushResponse>>;
  pull(input: PullParams, signal?: AbortSignal): Promise<ApiResult<PullResponse>>;
}

export function createSyncApi(http: HttpClient): SyncApi {
  return {
    push: ({ deviceId, clientId, mutations }, signal) =>
      http.request('/sync/push', {
        method: 'POST',
        body: { protocol: PROTOCOL_VERSION, deviceId, ...(clientId ? { clientId } : {}), mutations },
        signal,
        schema: PushResponseSchema,
      }),
    pull: ({ deviceId, cursor, limit }, signal) => {
      const query = new URLSearchParams({ protocol: String(PROTOCOL_VERSION), deviceId, cursor: cursor ?? '' });
      if (limit !== undefined) query.set('limit', String(limit));
      return http.request(`/sync/pull?${query}`, { signal, schema: PullResponseSchema });
    },
  };
}
