/**
 * Pure decisions of the sync maintenance pass (maintenance.ts; docs/sync-protocol.md §5
 * "Purge" and §7 "Trimming sync_commits"). No IO: the pass reads, these decide, the store
 * writes.
 */
import type { PushWrites } from '../../../core/sync';
import type { Purge } from './store';

/**
 * The writes of a purge-only commit: nothing but the purge list. store.commit still adds the
 * commit row, which moves the head by one (a sequence number without a changed row, as for a
 * push whose mutations changed nothing). That is what puts the purge on the compare-and-set
 * path: it serializes with concurrent pushes from any process exactly like a push, and it
 * raises purged_seq in the same transaction that deletes the tombstones.
 */
export const NO_WRITES: PushWrites = Object.freeze({
  sessions: new Map(),
  chunks: new Map(),
  deletedChunks: [],
  applied: [],
  bytesDelta: 0,
});

export const isEmptyPurge = (p: Purge) => p.tombstones.length === 0 && p.mutations.length === 0;

/**
 * Members to visit, oldest expiry first, each once: `byAge` lists are the member of each
 * expired row in the order PocketBase returned them (oldest first), which repeat a member
 * once per row.
 */
export function membersToVisit(byAge: readonly (readonly string[])[], limit: number): string[] {
  const out = new Set<string>();
  const longest = Math.max(0, ...byAge.map((l) => l.length));
  // Interleave the lists so neither kind of expired row starves the other.
  for (let i = 0; i < longest && out.size < limit; i++) {
    for (const list of byAge) {
      const m = list[i];
      if (m !== undefined && out.size < limit) out.add(m);
    }
  }
  return [...out];
}

/**
 * Commit rows created before this instant may be trimmed (if superseded). The retention is
 * much longer than the age a plan may have when it is sent (fresh-commit.ts), so no process
 * can still be about to commit on the base a trimmed row guarded.
 */
export const trimCutoff = (now: number, commitRetentionMs: number) => now - commitRetentionMs;

/** PocketBase's datetime text ("2026-11-24 01:48:00.632Z"), comparable as a string in filters. */
export const pbDateTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ');

/** Whether the pass may start more work: within its time budget, not stopped. */
export function mayContinue(startedAt: number, now: number, budgetMs: number, stopped: boolean): boolean {
  return !stopped && now - startedAt < budgetMs;
}
