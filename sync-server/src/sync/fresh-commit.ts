/**
 * The one way a plan reaches store.commit (a push, or a purge of the maintenance pass): only
 * while the head it was planned on is fresh. A plan older than `maxAgeMs` is answered like a
 * lost race, so the caller reads the head again and plans anew.
 *
 * Why: the compare-and-set on the head is the unique (member, base) row of sync_commits, and
 * the maintenance pass deletes superseded rows once they are older than the commit retention
 * (hours). A process that read head `b`, stalled, and then sent its batch after the row with
 * base `b` was trimmed would pass the compare-and-set on a head that moved long ago and write
 * stale state under old sequence numbers. The row with base `b` is created after any reader
 * saw `b` as the head, and is trimmed only when older than the retention, which exceeds
 * `maxAgeMs` by a wide margin (COMMIT_RETENTION_MARGIN_MS, config.ts); so a plan sent within
 * `maxAgeMs` of its head read always meets that row. docs/sync-protocol.md §7.
 */
import type { CommitInput, CommitOutcome, SyncStore } from './store';

export type FreshCommitOutcome = CommitOutcome | { readonly ok: false; readonly reason: 'plan_expired'; readonly detail: string };

/** True when a plan whose head was read at `plannedAt` may no longer be sent at `now`. */
export function planExpired(plannedAt: number, now: number, maxAgeMs: number): boolean {
  return now - plannedAt > maxAgeMs;
}

/** `input.now` must be the time taken before the head was read (as push and purge do). */
export async function commitIfFresh(
  store: Pick<SyncStore, 'commit'>,
  input: CommitInput,
  clock: { now: () => number; maxAgeMs: number },
): Promise<FreshCommitOutcome> {
  const at = clock.now();
  if (planExpired(input.now, at, clock.maxAgeMs)) {
    return { ok: false, reason: 'plan_expired', detail: `planned on a head read ${at - input.now} ms ago (at most ${clock.maxAgeMs})` };
  }
  return store.commit(input);
}
