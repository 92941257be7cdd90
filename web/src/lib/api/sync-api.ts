/**
 * Typed calls for /api/v1/sync (docs/sync-protocol.md §2). Bodies are validated with the
 * core/sync wire schemas both ends share; each call returns an ApiResult and never throws.
 */
import {
  PROTOCOL_VERSION,
  PullResponseSchema,
  PushResponseSchema,
  SessionChunksResponseSchema,
  type Mutation,
  type PullKinds,
  type PullResponse,
  type PushResponse,
  type SessionChunksResponse,
} from '$core/sync';
import type { ApiResult } from './errors';
import type { HttpClient } from './http';

export interface PullParams {
  deviceId: string;
  cursor: string | null;
  limit?: number;
  /** Which stream (docs/sync-protocol.md §3, "Two streams"); the server's default is 'all'. */
  kinds?: PullKinds;
  /** 'omit': leave out the chunks this device pushed (docs/sync-protocol.md §3). */
  own?: 'include' | 'omit';
}

export interface SessionChunksParams {
  deviceId: string;
  /** The wire id of the session. */
  sessionId: string;
  from?: number;
  limit?: number;
}

export interface SyncApi {
  push(input: { deviceId: string; clientId?: string; mutations: Mutation[] }, signal?: AbortSignal): Promise<ApiResult<PushResponse>>;
  pull(input: PullParams, signal?: AbortSignal): Promise<ApiResult<PullResponse>>;
  /** One session's readings, for a workout opened before the background pull brought them. */
  sessionChunks(input: SessionChunksParams, signal?: AbortSignal): Promise<ApiResult<SessionChunksResponse>>;
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
    pull: ({ deviceId, cursor, limit, kinds, own }, signal) => {
      const query = new URLSearchParams({ protocol: String(PROTOCOL_VERSION), deviceId, cursor: cursor ?? '' });
      if (limit !== undefined) query.set('limit', String(limit));
      if (kinds !== undefined) query.set('kinds', kinds);
      if (own !== undefined) query.set('own', own);
      return http.request(`/sync/pull?${query}`, { signal, schema: PullResponseSchema });
    },
    sessionChunks: ({ deviceId, sessionId, from, limit }, signal) => {
      const query = new URLSearchParams({ protocol: String(PROTOCOL_VERSION), deviceId });
      if (from !== undefined) query.set('from', String(from));
      if (limit !== undefined) query.set('limit', String(limit));
      return http.request(`/sync/sessions/${encodeURIComponent(sessionId)}/chunks?${query}`, { signal, schema: SessionChunksResponseSchema });
    },
  };
}
