/**
 * The MaintenanceStore (maintenance-store.ts) over the in-memory sync store's tables
 * (memory-sync-store.ts). Same answers as the PocketBase one: maintenance-store.contract.ts.
 */
import type { MaintenanceStore } from './maintenance-store';
import { commitId, type MemorySyncTables } from './memory-sync-store';

export function createMemoryMaintenanceStore(tables: MemorySyncTables): MaintenanceStore {
  return {
    async expiredOwners(before, limit) {
      const tombstones = [...tables.sessions.values()]
        .filter((r) => r.deleted && r.tombstonedAt > 0 && r.tombstonedAt < before)
        .sort((a, b) => a.tombstonedAt - b.tombstonedAt)
        .slice(0, limit)
        .map((r) => r.member);
      const mutations = [...tables.mutations.values()]
        .filter((r) => r.at < before)
        .sort((a, b) => a.at - b.at)
        .slice(0, limit)
        .map((r) => r.member);
      return { tombstones, mutations };
    },

    async supersededCommits(before, limit) {
      // A row is superseded when some commit was planned on its seq (the view in
      // pb_migrations/1763900500_sync_maintenance.js); the head row never is.
      return [...tables.commits.values()]
        .filter((c) => c.created < before && tables.commits.has(commitId(c.member, c.seq)))
        .sort((a, b) => a.created - b.created)
        .slice(0, limit)
        .map((c) => ({ id: c.id, member: c.member, seq: c.seq }));
    },

    async deleteCommits(ids) {
      let deleted = 0;
      for (const id of ids) if (tables.commits.delete(id)) deleted += 1;
      return deleted;
    },
  };
}
