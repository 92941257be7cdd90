/**
 * Pushes a member's outbox in batches within the server's limits (docs/sync-protocol.md §4):
 * at most PUSH_BATCH mutations and about PUSH_PAYLOAD_BUDGET characters of chunk payload per
 * request (the edge refuses bodies over 1 MB). Outcomes, per mutation:
 * - applied, duplicate: done, the outbox row goes (duplicate = an earlier, lost response);
 * - a permanent code: moved to the rejected list the member sees, never blocking the rest;
 * - quota_exceeded: held back for this run, the rest (deletes that free space) still pushed;
 * - batch_aborted, unknown_session, clock_drift, rate_limited: kept, retried later unchanged.
 * A 413 halves the batch. Nothing here awaits the network inside a Dexie transaction.
 */
import { base64ToBytes, bytesToBase64, decodeChunk, hashChunk, SYNC_ERROR_MESSAGES, type Mutation, type MutationResult, type SyncErrorCode } from '$core/sync';
import type { ApiError, SyncApi } from '$lib/api';
import type { HrmDatabase, OutboxRow } from '$lib/storage';

export const PUSH_BATCH = 200;
export const PUSH_PAYLOAD_BUDGET = 600_000;
/** Retryable outcomes after which a mutation is given up on (e.g. unknown_session forever). */
export const MAX_ATTEMPTS = 30;

const PERMANENT: ReadonlySet<string> = new Set(['invalid_mutation', 'immutable_conflict', 'chunk_hash_mismatch', 'chunk_corrupt', 'payload_too_large', 'invalid_request']);

export type PushOutcome = { ok: true; pushed: number; rejected: number; heldBack: number; clockDrift: boolean } | { ok: false; error: ApiError };

interface Prepared {
  row: OutboxRow & { seq: number };
  mutation: Mutation | null;
  size: number;
}

async function prepare(d: HrmDatabase, row: OutboxRow & { seq: number }): Promise<Prepared> {
  if (row.type !== 'chunk.put') {
    const mutation = { ...row.mutation, id: row.id } as Mutation;
    // A session with its execution record (protocol 3) can be tens of KB: count what it is.
    const size = mutation.type === 'session.upsert' && mutation.session.execution ? JSON.stringify(mutation).length + 100 : 200;
    return { row, mutation, size };
  }
  const chunk = await d.chunks.get([row.chunk.localId, row.chunk.index]);
  if (!chunk || chunk.count === 0) return { row, mutation: null, size: 0 };
  const decoded = decodeChunk(chunk.data);
  if (!decoded.ok || decoded.readings.length === 0) return { row, mutation: null, size: 0 };
  const payload = bytesToBase64(chunk.data);
  const mutation: Mutation = {
    id: row.id,
    type: 'chunk.put',
    sessionId: row.sessionId,
    index: chunk.seq,
    sealed: chunk.sealed === 1,
    payload,
    sha256: await hashChunk(base64ToBytes(payload)),
    readingCount: decoded.readings.length,
    firstT: decoded.readings[0]!.t,
    lastT: decoded.readings[decoded.readings.length - 1]!.t,
  };
  return { row, mutation, size: payload.length + 300 };
}

export interface PushDeps {
  db: HrmDatabase;
  api: SyncApi;
  owner: string;
  deviceId: string;
  now: () => number;
  batch?: number;
  signal?: AbortSignal;
}

export async function pushOutbox(deps: PushDeps): Promise<PushOutcome> {
  const { db: d, api, owner } = deps;
  let batch = deps.batch ?? PUSH_BATCH;
  const held = new Set<number>();
  let pushed = 0;
  let rejectedCount = 0;
  let clockDrift = false;

  for (let round = 0; round < 10_000; round++) {
    // Only the next batch's rows: reading the whole outbox every round made a long backlog
    // quadratic (bench/sync-engine.bench.ts). Rows come in queue order (seq) within the owner.
    const todo = (await d.outbox
      .where('owner')
      .equals(owner)
      .filter((r) => !held.has((r as OutboxRow & { seq: number }).seq))
      .limit(batch)
      .toArray()) as Array<OutboxRow & { seq: number }>;
    if (todo.length === 0) break;

    const prepared: Prepared[] = [];
    const missing: number[] = [];
    let budget = PUSH_PAYLOAD_BUDGET;
    for (const row of todo) {
      if (prepared.length >= batch) break;
      const p = await prepare(d, row);
      if (!p.mutation) {
        missing.push(row.seq);
        continue;
      }
      if (prepared.length > 0 && p.size > budget) break;
      budget -= p.size;
      prepared.push(p);
    }
    // A chunk row deleted since it was queued (its session was deleted): nothing to send.
    if (missing.length) await d.outbox.bulkDelete(missing);
    if (prepared.length === 0) continue;

    const result = await api.push({ deviceId: deps.deviceId, mutations: prepared.map((p) => p.mutation!) }, deps.signal);
    if (!result.ok) {
      if (result.error.status === 413 && prepared.length > 1) {
        batch = Math.max(1, Math.floor(prepared.length / 2));
        continue;
      }
      if (result.error.status === 413) {
        await settle(d, owner, prepared, [{ mutationId: prepared[0]!.row.id, status: 'rejected', code: 'payload_too_large', message: SYNC_ERROR_MESSAGES.payload_too_large }], deps.now());
        rejectedCount++;
        continue;
      }
      return { ok: false, error: result.error };
    }
    const s = await settle(d, owner, prepared, result.value.results, deps.now());
    pushed += s.done;
    rejectedCount += s.rejected;
    for (const seq of s.held) held.add(seq);
    clockDrift ||= s.clockDrift;
    if (s.done === 0 && s.rejected === 0 && s.held.length === 0) break; // only retryable outcomes: try later
  }
  return { ok: true, pushed, rejected: rejectedCount, heldBack: held.size, clockDrift };
}

/** Applies one push response to the outbox, the rejected list and the sessions' synced flags. */
async function settle(d: HrmDatabase, owner: string, prepared: Prepared[], results: MutationResult[], now: number) {
  const byId = new Map(results.map((r) => [r.mutationId, r]));
  const out = { done: 0, rejected: 0, held: [] as number[], clockDrift: false };
  await d.transaction('rw', d.outbox, d.rejected, d.sessions, async () => {
    for (const { row, mutation } of prepared) {
      const r = byId.get(row.id);
      if (!r) continue;
      if (r.status === 'applied' || r.status === 'duplicate') {
        await d.outbox.delete(row.seq);
        out.done++;
        if (row.type === 'session.upsert') await d.sessions.where('syncId').equals(row.sessionId).modify({ synced: 1 });
        continue;
      }
      const code = (r.code ?? 'invalid_mutation') as SyncErrorCode;
      if (code === 'quota_exceeded') {
        out.held.push(row.seq);
        continue;
      }
      if (code === 'clock_drift') out.clockDrift = true;
      // batch_aborted says nothing about this mutation: it does not count as an attempt.
      const attempts = code === 'batch_aborted' ? row.attempts : row.attempts + 1;
      if (PERMANENT.has(code) || attempts >= MAX_ATTEMPTS) {
        await d.outbox.delete(row.seq);
        await d.rejected.add({ owner, mutationId: row.id, type: mutation!.type, sessionId: row.sessionId, code, message: r.message ?? SYNC_ERROR_MESSAGES[code] ?? code, at: now });
        out.rejected++;
      } else {
        await d.outbox.update(row.seq, { attempts });
      }
    }
  });
  return out;
}
