/**
 * The maintenance pass's queries across members (maintenance.ts). Implementations:
 * pb-maintenance-store.ts (PocketBase) and memory-maintenance-store.ts (over the in-memory sync
 * store's tables); maintenance-store.contract.ts runs against both. Per-member reads and the
 * purge commit itself go through the SyncStore, like a push.
 */

export interface SupersededCommit {
  readonly id: string;
  readonly member: string;
  readonly seq: number;
}

export interface MaintenanceStore {
  /** Members of the oldest expired tombstones and of the oldest expired mutation ids, one entry per row. */
  expiredOwners(before: number, limit: number): Promise<{ tombstones: string[]; mutations: string[] }>;
  /** sync_commits rows that are not their member's head and were created before `before`, oldest first. */
  supersededCommits(before: number, limit: number): Promise<SupersededCommit[]>;
  /** Deletes commit rows and says how many; rows already gone (another process trimmed them) are skipped. */
  deleteCommits(ids: readonly string[]): Promise<number>;
}
