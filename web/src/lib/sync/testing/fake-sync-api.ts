/**
 * An in-memory sync server for unit tests: the server's own pure planner (planPush) over maps,
 * with a per-member sequence as cursor, so the engine meets the real push rules without
 * PocketBase. Integration tests (tests/integration/sync-simulation.test.ts) use the real one.
 */
import { SYNC_ERROR_MESSAGES, type Change, type Mutation, type PullResponse, type PushResponse, type SessionChunksResponse } from '$core/sync';
import { fail, ok, type ApiResult } from '$lib/api/errors';
import type { SyncApi } from '$lib/api';
import { checkChunk, type ChunkCheck } from '../../../../../sync-server/src/sync/chunk-check';
import { chunkKey, planPush, type StoredChunk, type StoredSession } from '../../../../../sync-server/src/sync/plan';

export interface FakeSyncServer {
  api: SyncApi;
  pushes: Mutation[][];
  quotaBytes: number;
  /** Forgets a session entirely (as a purge of its tombstone would) and answers reset next. */
  purge(sessionId: string): void;
  sessionIds(): string[];
  /** Makes every request fail as offline while true. */
  offline: boolean;
  /** Every pull's `kinds` and every on-demand readings request, in order. */
  requests: string[];
}

export function fakeSyncServer(now: () => number = Date.now): FakeSyncServer {
  const sessions = new Map<string, StoredSession>();
  const chunks = new Map<string, StoredChunk & { seq: number; device: string; change: Extract<Change, { kind: 'chunk' }> }>();
  const applied = new Set<string>();
  let seq = 0;
  let bytesUsed = 0;
  let resetBelow = 0;
  const pushes: Mutation[][] = [];
  const offline = () => ({ ok: false, error: { status: 0, code: 'network', message: 'offline', requestId: null } }) as const;

  const server: FakeSyncServer = {
    pushes,
    quotaBytes: Number.MAX_SAFE_INTEGER,
    offline: false,
    requests: [],
    purge(sessionId) {
      sessions.delete(sessionId);
      for (const [k, c] of chunks) if (c.sessionId === sessionId) chunks.delete(k);
      resetBelow = ++seq;
    },
    sessionIds: () => [...sessions.keys()],
    api: {
      async push({ deviceId, mutations }): Promise<ApiResult<PushResponse>> {
        if (server.offline) return offline();
        pushes.push(mutations);
        const checks = new Map<string, ChunkCheck>();
        for (const m of mutations) if (m.type === 'chunk.put') checks.set(m.id, await checkChunk(m));
        const plan = planPush(mutations, { applied: new Set(mutations.map((m) => m.id).filter((id) => applied.has(id))), sessions, chunks, bytesUsed }, {
          deviceId,
          now: now(),
          quotaBytes: server.quotaBytes,
          chunkChecks: checks,
        });
        const w = plan.writes;
        if (w) {
          for (const s of w.sessions.values()) sessions.set(s.sessionId, { record: s.record, seq: ++seq, bytes: s.bytes, tombstonedAt: s.tombstonedAt });
          for (const key of w.deletedChunks) chunks.delete(key);
          for (const c of w.chunks.values()) {
            const { id: _id, type: _type, ...rest } = c.put;
            chunks.set(chunkKey(c.put.sessionId, c.put.index), { ...c.put, bytes: c.bytes, seq: ++seq, device: deviceId, change: { kind: 'chunk', ...rest } });
          }
          for (const id of w.applied) applied.add(id);
          bytesUsed += w.bytesDelta;
        }
        return ok({ results: plan.results, cursor: `e1.${seq}.0` });
      },
      async pull({ deviceId, cursor, limit = 200, kinds = 'all', own = 'include' }): Promise<ApiResult<PullResponse>> {
        if (server.offline) return offline();
        server.requests.push(`pull:${kinds}`);
        let after = 0;
        let reset = false;
        if (cursor) {
          const m = /^e1\.(\d+)\.(\d+)$/.exec(cursor);
          if (!m) return fail({ status: 409, code: 'stale_cursor', message: SYNC_ERROR_MESSAGES.stale_cursor, requestId: null });
          // The chunk stream is never reset (docs/sync-protocol.md §3).
          if (kinds !== 'chunks' && Number(m[2]) < resetBelow && Number(m[1]) < resetBelow) reset = true;
          else after = Number(m[1]);
        }
        const all = [
          ...(kinds === 'chunks' ? [] : [...sessions.values()].map((s) => ({ seq: s.seq, change: { kind: 'session', record: s.record } as Change }))),
          ...(kinds === 'sessions' ? [] : [...chunks.values()].filter((c) => own === 'include' || c.device !== deviceId).map((c) => ({ seq: c.seq, change: c.change as Change }))),
        ]
          .filter((x) => x.seq > after)
          .sort((a, b) => a.seq - b.seq);
        const page = all.slice(0, limit);
        const hasMore = all.length > limit;
        const last = hasMore ? page[page.length - 1]!.seq : seq;
        return ok({ cursor: `e1.${last}.${resetBelow}`, changes: page.map((x) => x.change), hasMore, ...(reset ? { reset: true as const } : {}) });
      },
      async sessionChunks({ sessionId, from = 0, limit = 200 }): Promise<ApiResult<SessionChunksResponse>> {
        if (server.offline) return offline();
        server.requests.push(`chunks:${sessionId}:${from}`);
        const s = sessions.get(sessionId);
        if (!s || s.record.kind === 'tombstone') return fail({ status: 404, code: 'not_found', message: 'No such workout.', requestId: null });
        const mine = [...chunks.values()].filter((c) => c.sessionId === sessionId && c.index >= from).sort((a, b) => a.index - b.index);
        return ok({ sessionId, changes: mine.slice(0, limit).map((c) => c.change), hasMore: mine.length > limit });
      },
    },
  };
  return server;
}
