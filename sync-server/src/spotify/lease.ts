import PocketBase, { ClientResponseError } from 'pocketbase';
import type { Lease, LeaseStore } from './lease-store';

/**
 * Leases in PocketBase (the LeaseStore of lease-store.ts). `spotify_leases` has a unique index
 * on `key`, so only one create succeeds. An expired lease (its holder died or stalled) is taken
 * over by deleting that exact record and creating ours in one batch; a second taker's delete
 * finds nothing and its whole batch rolls back. Release deletes our own record by id, so it can
 * never remove a lease someone else took over.
 */
export { isLease, type Lease, type LeaseStore } from './lease-store';

type Row = { id: string; key: string; locked_until: number };

/** `collection`: any collection of this shape (spotify_leases, sync_leases). */
export function createLeases(pb: PocketBase, holder: string, collection = 'spotify_leases'): LeaseStore {
  const COL = collection;
  const find = async (key: string) =>
    (await pb.collection(COL).getList<Row>(1, 1, { filter: pb.filter('key = {:key}', { key }), skipTotal: true })).items[0] ?? null;
  const lease = (id: string): Lease => ({
    async release() {
      await pb
        .collection(COL)
        .delete(id)
        .catch(() => undefined);
    },
  });

  return {
    async tryAcquire(key, ttlMs, now) {
      try {
        const row = await pb.collection(COL).create<Row>({ key, holder, locked_until: now + ttlMs });
        return lease(row.id);
      } catch (e) {
        if (!(e instanceof ClientResponseError) || e.status !== 400) throw e;
      }
      const existing = await find(key);
      if (!existing) return { heldUntil: now + 50 }; // released meanwhile: try again shortly
      if (existing.locked_until > now) return { heldUntil: existing.locked_until };
      const batch = pb.createBatch();
      batch.collection(COL).delete(existing.id);
      batch.collection(COL).create({ key, holder, locked_until: now + ttlMs });
      try {
        const results = (await batch.send()) as { body: Row }[];
        const created = results[1]?.body;
        return created ? lease(created.id) : { heldUntil: now + 50 };
      } catch (e) {
        if (e instanceof ClientResponseError && e.status >= 400 && e.status < 500) return { heldUntil: now + 50 };
        throw e;
      }
    },
  };
}

export type Leases = LeaseStore;
