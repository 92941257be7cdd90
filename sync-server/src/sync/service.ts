/**
 * The sync service: push and pull for one member (docs/sync-protocol.md). It reads state from
 * the store, lets planPush decide, and commits the plan as one transaction. A commit that
 * loses the race for the member's head (another process committed first) is planned again
 * from fresh state, so concurrent pushes serialize without losing or duplicating a change.
 */
import {
  checkChunk,
  docKey,
  planPush,
  PROTOCOL_VERSION,
  docForProtocol,
  sessionForProtocol,
  type Change,
  type ChunkCheck,
  type PullKinds,
  type ProtocolVersion,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SessionChunksResponse,
} from '../../../core/sync';
import { backoffDelay, type BackoffPolicy } from '../../../core/retry';
import type { SyncConfig } from './config';
import { formatCursor, needsReset, parseCursor } from './cursor';
import { commitIfFresh } from './fresh-commit';
import type { SyncStore } from './store';

/** Expected request-level outcomes; the route maps them to HTTP errors. */
export class SyncRequestError extends Error {
  constructor(
    readonly code: 'stale_cursor' | 'payload_too_large' | 'busy' | 'not_found',
    message: string,
    /** For the log only: what the store said on the last failed attempt. */
    readonly detail = '',
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }
}

export interface SyncServiceDeps {
  store: SyncStore;
  config: SyncConfig;
  now: () => number;
  /** Waits between commit attempts; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_PULL_LIMIT = 200;

/** Between commit attempts that lost the head: short (the winner is done), jittered so the losers spread. */
export const COMMIT_RETRY: BackoffPolicy = { baseMs: 5, capMs: 200, jitter: 'equal' };

export function createSyncService(deps: SyncServiceDeps) {
  const { store, config } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;

  /** `onRetry` hears of each lost race for the head (normal under concurrency; for the log). */
  async function push(memberId: string, request: PushRequest, onRetry?: (attempt: number) => void): Promise<PushResponse> {
    const checks = new Map<string, ChunkCheck>();
    for (const m of request.mutations) if (m.type === 'chunk.put') checks.set(m.id, await checkChunk(m));
    const mutationIds = request.mutations.map((m) => m.id);
    const sessionIds = [
      ...new Set(request.mutations.flatMap((m) => (m.type === 'session.upsert' ? [m.session.id] : m.type === 'doc.patch' || m.type === 'doc.delete' ? [] : [m.sessionId]))),
    ];
    const docKeys = [...new Set(request.mutations.flatMap((m) => (m.type === 'doc.patch' || m.type === 'doc.delete' ? [docKey(m.doc, m.docId)] : [])))];

    let lastConflict = '';
    for (let attempt = 0; attempt < config.commitAttempts; attempt++) {
      const now = deps.now();
      // Head first: everything read after it is at least as new, and if anything commits
      // after it, our commit (planned on this head) is refused and we plan again.
      const base = await store.head(memberId);
      const member = await store.member(memberId);
      const [applied, sessions, chunks, docs, purge] = await Promise.all([
        store.appliedIds(memberId, mutationIds),
        store.sessions(memberId, sessionIds),
        store.chunksOf(memberId, sessionIds),
        docKeys.length ? store.docs(memberId, docKeys) : new Map(),
        store.expired(memberId, now - config.tombstoneMs, config.purgePerPush),
      ]);
      const plan = planPush(request.mutations, { applied, sessions, chunks, docs, bytesUsed: member.bytes }, {
        deviceId: request.deviceId,
        now,
        quotaBytes: config.quotaBytes,
        chunkChecks: checks,
      });
      const cursorAt = (seq: number, mark: number) => formatCursor({ epoch: member.epoch, seq, mark, docs: request.protocol >= 2, executions: request.protocol >= 3 });
      if (!plan.writes) {
        // A duplicate's batch may have been committed (by an identical push racing this one)
        // after `base` was read and before the applied ids were: a head read now is at or after
        // that commit, so the cursor is "the log position after this batch" (§2; issue 11 #17).
        const head = plan.results.some((r) => r.status === 'duplicate') ? await store.head(memberId) : base;
        return { results: plan.results, cursor: cursorAt(Math.max(head, base), member.purgedSeq) };
      }

      const w = plan.writes;
      const requests = 2 + w.sessions.size + (w.docs?.size ?? 0) + w.chunks.size + w.deletedChunks.length + w.applied.length + purge.tombstones.length + purge.mutations.length;
      if (requests > config.maxBatchRequests) {
        throw new SyncRequestError('payload_too_large', `This push needs ${requests} writes (at most ${config.maxBatchRequests}); send fewer changes at once.`);
      }
      const outcome = await commitIfFresh(store, { memberId, base, member, writes: w, purge, now, deviceId: request.deviceId }, { now: deps.now, maxAgeMs: config.planMaxAgeMs });
      if (outcome.ok) return { results: plan.results, cursor: cursorAt(outcome.head, outcome.purgedSeq) };
      // Lost the race for the head: back off a little (jittered) and plan again.
      lastConflict = outcome.detail;
      onRetry?.(attempt + 1);
      await sleep(backoffDelay(COMMIT_RETRY, attempt + 1, 0, random));
    }
    throw new SyncRequestError('busy', 'Too many concurrent changes for this account; try again.', lastConflict);
  }

  /**
   * One page of the member's changes after the cursor. `kinds` picks the stream (§3, "Two
   * streams"): the chunk stream never signals a reset, because a purge removes tombstones only
   * and a tombstone's chunks were deleted when it was written; a chunk cursor below the purge
   * mark therefore cannot resurrect anything.
   *
   * `omitOwnOf`: leave out the chunks that device pushed itself (§3, "A device's own chunks"):
   * it stored them before it pushed them, and takes a new id when it drops a member's data.
   *
   * `protocol`: documents (profile, settings, plans: §8) go with the metadata stream of a
   * protocol 2 pull only; a protocol 1 client's strict schema would refuse the page.
   */
  async function pull(
    memberId: string,
    cursorText: string | null,
    limit = DEFAULT_PULL_LIMIT,
    kinds: PullKinds = 'all',
    omitOwnOf?: string,
    protocol: ProtocolVersion = PROTOCOL_VERSION,
  ): Promise<PullResponse> {
    const wantSessions = kinds !== 'chunks';
    const wantChunks = kinds !== 'sessions';
    const wantDocs = wantSessions && protocol >= 2;
    const wantExecutions = wantSessions && protocol >= 3;
    for (;;) {
      const member = await store.member(memberId);
      let after = 0;
      let reset = false;
      if (cursorText !== null) {
        const cursor = parseCursor(cursorText);
        if (!cursor || cursor.epoch !== member.epoch) {
          throw new SyncRequestError('stale_cursor', 'This cursor is not valid for this account any more; pull from the beginning.');
        }
        if (wantSessions && needsReset(cursor, member.purgedSeq)) reset = true;
        // A cursor from protocol 1 pulls skipped documents: start over so they come (§8).
        else if (wantDocs && !cursor.docs && cursor.seq > 0) reset = true;
        // A cursor from older pulls had sessions without their execution records (§9): the same.
        else if (wantExecutions && !cursor.executions && cursor.seq > 0) reset = true;
        else after = cursor.seq;
      }
      // Everything at or below the head read now is committed; bounding both queries by it
      // keeps a commit landing between them from being skipped (it shows up on the next pull).
      const upTo = await store.head(memberId);
      const [sessions, docs, chunks] = await Promise.all([
        wantSessions ? store.pullSessions(memberId, after, upTo, limit) : [],
        wantDocs ? store.pullDocs(memberId, after, upTo, limit) : [],
        wantChunks ? store.pullChunks(memberId, after, upTo, limit, omitOwnOf) : [],
      ]);
      // A purge committed meanwhile may have removed a tombstone from these pages: start over.
      if ((await store.member(memberId)).purgedSeq !== member.purgedSeq) continue;

      const merged: { seq: number; change: Change; size: number }[] = [
        // A session's size counts against the page budget: with its execution record (§9) it
        // can be tens of KB. Older protocols get it without that record (§9).
        ...sessions.map((s) => {
          const record = sessionForProtocol(s.record, protocol);
          return { seq: s.seq, change: { kind: 'session', record } as Change, size: record.kind === 'live' && record.execution ? JSON.stringify(record).length : 200 };
        }),
        // Older protocols get the settings without the registers they do not know (wire.ts).
        ...docs.map((d) => ({ seq: d.seq, change: { kind: 'doc', record: docForProtocol(d.record, protocol) } as Change, size: 200 })),
        ...chunks.map((c) => ({ seq: c.seq, change: c.change as Change, size: c.change.payload.length })),
      ].sort((a, b) => a.seq - b.seq);
      const page: Change[] = [];
      let budget = config.pullPayloadBudget;
      let last = after;
      for (const item of merged) {
        if (page.length >= limit || (page.length > 0 && item.size > budget)) break;
        page.push(item.change);
        budget -= item.size;
        last = item.seq;
      }
      // Either list may have been cut at `limit`: then rows above its last one may be missing,
      // so the cursor stops at the last change returned. Otherwise everything up to the head
      // was delivered.
      const cut = page.length < merged.length || sessions.length === limit || docs.length === limit || chunks.length === limit;
      const seq = cut ? last : upTo;
      return {
        cursor: formatCursor({ epoch: member.epoch, seq, mark: member.purgedSeq, docs: protocol >= 2, executions: protocol >= 3 }),
        changes: page,
        hasMore: cut,
        ...(reset ? { reset: true as const } : {}),
      };
    }
  }

  /**
   * The chunks of one live session from index `from`, for a device that opens a workout whose
   * readings the background pull has not brought yet (§3). Sealed chunks never change and an
   * open chunk only grows, so the client may apply these and the stream's copies in any order.
   */
  async function sessionChunks(memberId: string, sessionId: string, from = 0, limit = DEFAULT_PULL_LIMIT): Promise<SessionChunksResponse> {
    const session = (await store.sessions(memberId, [sessionId])).get(sessionId);
    if (!session || session.record.kind === 'tombstone') throw new SyncRequestError('not_found', 'No such workout.');
    const rows = await store.sessionChunks(memberId, sessionId, from, limit + 1);
    const changes: SessionChunksResponse['changes'] = [];
    let budget = config.pullPayloadBudget;
    for (const c of rows.slice(0, limit)) {
      if (changes.length > 0 && c.payload.length > budget) break;
      changes.push(c);
      budget -= c.payload.length;
    }
    return { sessionId, changes, hasMore: changes.length < rows.length };
  }

  return { push, pull, sessionChunks };
}

export type SyncService = ReturnType<typeof createSyncService>;
