/**
 * The contract of a MaintenanceStore (maintenance-store.ts), run against the in-memory store
 * (maintenance-store.memory.test.ts) and PocketBase
 * (tests/integration/stores/maintenance-store.pb.test.ts). `make` returns empty stores over the
 * same data: `sync` writes it as pushes do, `store` is the one under test.
 *
 * Concurrency cases: six trims racing over the same rows delete each row once and never the
 * head; a trim racing commits never removes a row a commit still needs (the head), so every
 * commit lands and the head keeps its compare-and-set.
 */
import { describe, expect, it } from 'vitest';
import { recordBytes, type PushWrites, type SessionRecord } from '../../../core/sync';
import { liveSession, stamp, uuid } from '../../../core/sync/testing/fixtures';
import type { MaintenanceStore } from './maintenance-store';
import type { SyncStore } from './store';

export interface MaintenanceStoreHarness {
  store: MaintenanceStore;
  sync: SyncStore;
  newMember(): Promise<string>;
  dispose(): Promise<void>;
}

const NO_PURGE = { tombstones: [], mutations: [] } as const;
const yieldOnce = () => new Promise<void>((r) => setImmediate(r));

export function maintenanceStoreContract(make: () => Promise<MaintenanceStoreHarness>) {
  describe('MaintenanceStore contract', () => {
    const using = async (fn: (h: MaintenanceStoreHarness) => Promise<void>) => {
      const h = await make();
      try {
        await fn(h);
      } finally {
        await h.dispose();
      }
    };
    const T = Date.now();

    /** Commits on the head, retrying lost races; `tombstonedAt` > 0 writes a tombstone. */
    async function write(sync: SyncStore, memberId: string, opts: { tombstonedAt?: number; at: number }) {
      const id = uuid();
      const record: SessionRecord = opts.tombstonedAt
        ? { kind: 'tombstone', id, deletedAt: stamp(opts.tombstonedAt, 'phone-a1') }
        : liveSession({ id, startedAt: T - 3_600_000, deviceId: 'phone-a1' });
      const bytes = recordBytes(record);
      const writes: PushWrites = {
        sessions: new Map([[id, { sessionId: id, record, bytes, tombstonedAt: opts.tombstonedAt ?? 0, isNew: true }]]),
        chunks: new Map(),
        deletedChunks: [],
        applied: [uuid()],
        bytesDelta: bytes,
      };
      for (;;) {
        const base = await sync.head(memberId);
        const member = await sync.member(memberId);
        const o = await sync.commit({ memberId, base, member, writes, purge: NO_PURGE, now: opts.at });
        if (o.ok) return o.head;
        await yieldOnce();
      }
    }

    it('expiredOwners: the members of expired tombstones and mutation ids, oldest first, one entry per row', async () => {
      await using(async ({ store, sync, newMember }) => {
        const [a, b] = [await newMember(), await newMember()];
        await write(sync, a, { tombstonedAt: T - 5000, at: T - 5000 });
        await write(sync, b, { tombstonedAt: T - 9000, at: T - 1000 });
        await write(sync, b, { at: T - 9000 }); // live session: its mutation id expires, it does not
        await write(sync, a, { tombstonedAt: T + 5000, at: T + 5000 }); // not expired yet
        expect(await store.expiredOwners(T, 10)).toEqual({ tombstones: [b, a], mutations: [b, a, b] });
        expect(await store.expiredOwners(T, 1)).toEqual({ tombstones: [b], mutations: [b] });
        expect(await store.expiredOwners(T - 20_000, 10)).toEqual({ tombstones: [], mutations: [] });
      });
    });

    it('supersededCommits lists every commit row but each member head, oldest first; deleteCommits skips rows already gone', async () => {
      await using(async ({ store, sync, newMember }) => {
        const [a, b] = [await newMember(), await newMember()];
        for (let i = 0; i < 3; i++) await write(sync, a, { at: T });
        await write(sync, b, { at: T });
        const rows = await store.supersededCommits(Date.now() + 60_000, 100);
        expect(rows.map((r) => [r.member, r.seq])).toEqual([
          [a, 1],
          [a, 2],
        ]);
        expect(await store.supersededCommits(T - 60_000, 100)).toEqual([]); // none created that early
        expect(await store.supersededCommits(Date.now() + 60_000, 1)).toHaveLength(1);
        expect(await store.deleteCommits([rows[0]!.id])).toBe(1);
        expect(await store.deleteCommits(rows.map((r) => r.id))).toBe(1);
        expect(await store.supersededCommits(Date.now() + 60_000, 100)).toEqual([]);
        expect([await sync.head(a), await sync.head(b)]).toEqual([3, 1]);
      });
    });

    it('six trims racing over the same rows delete each row once; commits racing the trim all land on the head', async () => {
      await using(async ({ store, sync, newMember }) => {
        const m = await newMember();
        for (let i = 0; i < 20; i++) await write(sync, m, { at: T });
        const rows = await store.supersededCommits(Date.now() + 60_000, 100);
        expect(rows).toHaveLength(19);
        const ids = rows.map((r) => r.id);
        // Six trims in different orders, so their batches collide in the middle of the list
        // and each falls back to deleting row by row while the others are still deleting.
        const middleOut = [...ids.slice(9), ...ids.slice(0, 9).reverse()];
        const orders = [ids, [...ids].reverse(), middleOut, [...middleOut].reverse(), ids, [...ids].reverse()];
        const [trims, heads] = await Promise.all([
          Promise.all(orders.map((o) => store.deleteCommits(o))),
          Promise.all(Array.from({ length: 10 }, () => write(sync, m, { at: T }))),
        ]);
        expect(trims.reduce((a, b) => a + b, 0)).toBe(19);
        expect(heads.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
        expect(await sync.head(m)).toBe(30);
        // The head row survived every trim: a commit on an old base is still refused.
        const member = await sync.member(m);
        const stale = await sync.commit({ memberId: m, base: 30, member, writes: { sessions: new Map(), chunks: new Map(), deletedChunks: [], applied: [], bytesDelta: 0 }, purge: NO_PURGE, now: T });
        expect(stale.ok).toBe(true);
        const again = await sync.commit({ memberId: m, base: 30, member, writes: { sessions: new Map(), chunks: new Map(), deletedChunks: [], applied: [], bytesDelta: 0 }, purge: NO_PURGE, now: T });
        expect(again.ok).toBe(false);
      });
    });
  });
}
