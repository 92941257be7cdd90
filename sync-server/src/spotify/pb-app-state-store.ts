import PocketBase, { ClientResponseError } from 'pocketbase';
import { BUDGET_WINDOW_MS, type AppStateStore, type CircuitReason } from './app-state';

/**
 * App-wide Spotify state in PocketBase.
 * - Circuits are append-only rows of `spotify_app_state` keyed `circuit:<until>`: opening one
 *   never rewrites another, so a short circuit opened concurrently cannot shorten a long one
 *   (an update would write every column back from its own read).
 * - The alarm is one row (`alarm`) with two writers, raise and clear; the last one wins, which
 *   is the meaning: the latest answer of Spotify's token endpoint decides.
 * - The budget is `spotify_call_slots` (unique `slot`): taking a free slot creates it, or
 *   deletes its expired row by id and creates the new one in one batch; a second taker's batch
 *   rolls back whole, as for leases.
 */
type StateRow = { id: string; key: string; until: number; at: number; reason: string };
type SlotRow = { id: string; slot: number; at: number };

const STATE = 'spotify_app_state';
const SLOTS = 'spotify_call_slots';
const isClientError = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;

export function createPbAppStateStore(pb: PocketBase, opts: { callsPer30s: number; random?: () => number }): AppStateStore {
  const random = opts.random ?? Math.random;
  const limit = opts.callsPer30s;
  const read = async (key: string) =>
    (await pb.collection(STATE).getList<StateRow>(1, 1, { filter: pb.filter('key = {:key}', { key }), skipTotal: true })).items[0] ?? null;

  async function setAlarm(fields: { at: number; reason: string }) {
    const existing = await read('alarm');
    if (existing) {
      await pb.collection(STATE).update(existing.id, fields);
      return;
    }
    try {
      await pb.collection(STATE).create({ key: 'alarm', until: 0, ...fields });
    } catch (e) {
      if (!isClientError(e)) throw e;
      const again = await read('alarm');
      if (again) await pb.collection(STATE).update(again.id, fields);
    }
  }

  async function takeSlot(slot: number, existing: SlotRow | undefined, route: string, now: number): Promise<boolean> {
    try {
      if (!existing) {
        await pb.collection(SLOTS).create({ slot, at: now, route: route.slice(0, 100) });
      } else {
        const batch = pb.createBatch();
        batch.collection(SLOTS).delete(existing.id);
        batch.collection(SLOTS).create({ slot, at: now, route: route.slice(0, 100) });
        await batch.send();
      }
      return true;
    } catch (e) {
      if (isClientError(e)) return false;
      throw e;
    }
  }

  return {
    async circuit(now) {
      const r = await pb.collection(STATE).getList<StateRow>(1, 1, {
        filter: pb.filter("key ~ 'circuit:%' && until > {:now}", { now }),
        sort: '-until',
        skipTotal: true,
      });
      const row = r.items[0];
      return row ? { until: row.until, reason: row.reason as CircuitReason } : null;
    },
    async openCircuit(until, reason, now) {
      try {
        await pb.collection(STATE).create({ key: `circuit:${until}:${reason}`, until, at: now, reason });
      } catch (e) {
        if (!isClientError(e)) throw e; // the same circuit, opened by another process
      }
    },
    async alarm() {
      const row = await read('alarm');
      return row && row.at > 0 ? { at: row.at, reason: row.reason } : null;
    },
    raiseAlarm: (reason, now) => setAlarm({ at: now, reason }),
    async clearAlarm() {
      const row = await read('alarm');
      if (row && row.at > 0) await setAlarm({ at: 0, reason: '' });
    },
    async takeCall(route, now) {
      const since = now - BUDGET_WINDOW_MS;
      // Each lost race means another caller took a slot, so this ends within `limit` rounds.
      for (let attempt = 0; attempt <= limit + 5; attempt++) {
        const busy = await pb.collection(SLOTS).getList<SlotRow>(1, 1, { filter: pb.filter('slot < {:limit} && at > {:since}', { limit, since }), sort: 'at', fields: 'at' });
        if (busy.totalItems >= limit) return { ok: false, retryAfterMs: Math.max(1, (busy.items[0]?.at ?? now) + BUDGET_WINDOW_MS - now) };
        // Mostly free: probe a random slot (one request). Nearly full: list the busy ones first.
        let slot = Math.floor(random() * limit);
        if (busy.totalItems > limit / 2) {
          const rows = await pb.collection(SLOTS).getFullList<SlotRow>({ filter: pb.filter('slot < {:limit} && at > {:since}', { limit, since }), fields: 'slot', batch: 1000 });
          const taken = new Set(rows.map((r) => r.slot));
          const free = Array.from({ length: limit }, (_, i) => i).filter((i) => !taken.has(i));
          if (free.length === 0) continue;
          slot = free[Math.floor(random() * free.length)]!;
        }
        const existing = (await pb.collection(SLOTS).getList<SlotRow>(1, 1, { filter: pb.filter('slot = {:slot}', { slot }), fields: 'id,slot,at', skipTotal: true })).items[0];
        if (existing && existing.at > since) continue; // in use: try another
        if (await takeSlot(slot, existing, route, now)) return { ok: true };
      }
      return { ok: false, retryAfterMs: 1_000 };
    },
    async purge(before) {
      const old = await pb.collection(STATE).getList<{ id: string }>(1, 200, {
        filter: pb.filter("key ~ 'circuit:%' && until < {:t}", { t: before }),
        fields: 'id',
        skipTotal: true,
      });
      if (old.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of old.items) batch.collection(STATE).delete(r.id);
      await batch.send();
    },
  };
}
