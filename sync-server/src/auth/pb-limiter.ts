import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import type { Limiter } from './limiter';

const SLOTS = 'limiter_slots';
type Slot = { id: string; n: number; until: number };

/**
 * The limiter in PocketBase (pb_migrations/1763901100_room_stores.js). A key has slot rows
 * (key, n) with n < limit under a UNIQUE (key, n) index, each taken until `until`. A call takes
 * a missing slot by inserting it, or an expired one by deleting and re-inserting it in one
 * batch (one transaction). Two calls racing for a slot collide on the index (or on the delete
 * of the same row), so exactly one wins and the other looks again: at most `limit` slots are
 * live at any moment, across calls and processes. Nothing is read-modify-written (PocketBase
 * rewrites whole records on update).
 */
export function createPbLimiter(pb: PocketBase, random: () => number = Math.random): Limiter {
  const col = () => pb.collection(SLOTS);
  const slotsOf = (key: string) => col().getFullList<Slot>({ filter: pb.filter('key = {:key}', { key }), fields: 'id,n,until', batch: 500 });

  return {
    async consume(key, limit, windowMs, now) {
      for (;;) {
        const slots = (await slotsOf(key)).filter((s) => s.n < limit);
        const byN = new Map(slots.map((s) => [s.n, s]));
        const free: number[] = [];
        for (let n = 0; n < limit; n++) if ((byN.get(n)?.until ?? 0) <= now) free.push(n);
        if (free.length === 0) return { ok: false, retryAfterMs: Math.max(1, Math.min(...slots.map((s) => s.until)) - now) };
        // A random free slot: parallel callers spread over the free slots instead of all
        // colliding on the first one.
        const n = free[Math.floor(random() * free.length)]!;
        const old = byN.get(n);
        const batch = pb.createBatch();
        if (old) batch.collection(SLOTS).delete(old.id);
        batch.collection(SLOTS).create({ key, n, until: now + windowMs });
        try {
          await batch.send();
          if (slots.length === 0) void purge(pb, now).catch(() => undefined);
          return { ok: true };
        } catch (e) {
          if (!(e instanceof ClientResponseError && (e.status === 400 || e.status === 404))) throw e;
          // Lost this slot to another call: look again.
        }
      }
    },
    async reset(key) {
      // One by one: a slot taken over meanwhile (deleted and re-created) is simply gone.
      await Promise.all((await slotsOf(key)).map((s) => col().delete(s.id).catch(() => undefined)));
    },
  };
}

/** Slots that expired long ago are only clutter; a key's first slot trims some. */
async function purge(pb: PocketBase, now: number) {
  const rows = await pb.collection(SLOTS).getList<{ id: string }>(1, 200, { filter: pb.filter('until < {:t}', { t: now - 3_600_000 }), fields: 'id', skipTotal: true });
  if (rows.items.length === 0) return;
  const batch = pb.createBatch();
  for (const r of rows.items) batch.collection(SLOTS).delete(r.id);
  await batch.send();
}

/** PocketBase answers a unique-index violation with 400 and `validation_not_unique` on the field. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof ClientResponseError && e.status === 400 && JSON.stringify(e.response ?? {}).includes('validation_not_unique');
}
