/**
 * The MaintenanceStore (maintenance-store.ts) in PocketBase: the maintenance pass's queries across members (indexes and the superseded-commits view
 * in pb_migrations/1763900500_sync_maintenance.js). Per-member reads and the purge commit
 * itself go through the SyncStore, like a push.
 */
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import type { MaintenanceStore, SupersededCommit } from './maintenance-store';
import { pbDateTime } from './maintenance-plan';

/** A batch fails as a whole with a 4xx when one of its requests does (a row gone: 400 or 404). */
const isRequestFailure = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;

export function createPbMaintenanceStore(pb: PocketBase, opts: { maxBatchRequests: number }): MaintenanceStore {
  const col = (name: string) => pb.collection(name);

  return {
    async expiredOwners(before, limit) {
      const [tombs, muts] = await Promise.all([
        // tombstoned_at is 0 on live sessions: the range (0, before) is tombstones only.
        col('sync_sessions').getList<{ member: string }>(1, limit, {
          filter: pb.filter('tombstoned_at > 0 && tombstoned_at < {:before} && deleted = true', { before }),
          sort: 'tombstoned_at',
          fields: 'member',
          skipTotal: true,
        }),
        col('sync_mutations').getList<{ member: string }>(1, limit, {
          filter: pb.filter('at < {:before}', { before }),
          sort: 'at',
          fields: 'member',
          skipTotal: true,
        }),
      ]);
      return { tombstones: tombs.items.map((r) => r.member), mutations: muts.items.map((r) => r.member) };
    },

    async supersededCommits(before, limit) {
      const rows = await col('sync_commits_superseded').getList<SupersededCommit>(1, limit, {
        filter: pb.filter('created < {:before}', { before: pbDateTime(before) }),
        sort: 'created',
        fields: 'id,member,seq',
        skipTotal: true,
      });
      return rows.items.map((r) => ({ id: r.id, member: r.member, seq: r.seq }));
    },

    async deleteCommits(ids) {
      let deleted = 0;
      for (let i = 0; i < ids.length; i += opts.maxBatchRequests) {
        const part = ids.slice(i, i + opts.maxBatchRequests);
        const batch = pb.createBatch();
        for (const id of part) batch.collection('sync_commits').delete(id);
        try {
          await batch.send();
          deleted += part.length;
        } catch (e) {
          // One row was trimmed by another process meanwhile, and the batch rolled back as a
          // whole: delete the rest one by one, each as a batch of one. A plain DELETE finds the
          // row outside its write transaction and answers 204 even when a racing trim removed
          // it in between, so both trims would count it; a batch finds and deletes inside one
          // transaction, and PocketBase runs those one at a time (docs/server-state.md).
          if (!isRequestFailure(e)) throw e;
          for (const id of part) {
            const one = pb.createBatch();
            one.collection('sync_commits').delete(id);
            await one.send().then(
              () => (deleted += 1),
              (err: unknown) => {
                if (!isRequestFailure(err)) throw err;
              },
            );
          }
        }
      }
      return deleted;
    },
  };
}
