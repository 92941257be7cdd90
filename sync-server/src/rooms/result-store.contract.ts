/**
 * The contract of a ResultStore (result-store.ts), run over memory (result-store.memory.test.ts)
 * and PocketBase (tests/integration/stores/result-store.pb.test.ts).
 *
 * Concurrency cases: 40 racing posts of one participant's run leave exactly one row, holding
 * one of the posted results whole (never a mix); 150 participants posting at once all land;
 * of 12 members claiming one guest result at once exactly one gets it, and a re-post of the
 * result afterwards keeps the claim.
 */
import { describe, expect, it } from 'vitest';
import type { ClassResult } from '../../../core/rooms';
import type { ResultStore } from './result-store';

export interface ResultStoreHarness {
  store: ResultStore;
  /** A room with `n` participants (real rows where the store needs them). */
  seed(n: number): Promise<{ room: string; participants: string[] }>;
  /** A member who can claim a guest's result. */
  member(): Promise<string>;
  dispose(): Promise<void>;
}

const result = (runStartedAt: number, points: number): ClassResult => ({
  runStartedAt,
  points,
  bandMs: [points, 2 * points, 0, 0, 60_000],
  avgBpm: 100 + (points % 100),
  peakBpm: 150 + (points % 100),
  kcal: points / 10,
  activeMs: 60_000 + points,
});

export function resultStoreContract(make: () => Promise<ResultStoreHarness>) {
  const using = (fn: (h: ResultStoreHarness) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.dispose();
    }
  };

  describe('ResultStore contract', () => {
    it(
      'keeps one row per participant and run, replaced by a later post; lists the latest runs, newest first',
      using(async ({ store, seed }) => {
        const { room, participants: [a, b] } = await seed(2);
        const other = await seed(1);
        await store.put({ room, participant: a!, user: '', claimHash: '', name: 'Ann', result: result(1_000, 5) }, 1);
        await store.put({ room, participant: a!, user: '', claimHash: '', name: 'Ann', result: result(1_000, 7) }, 2);
        await store.put({ room, participant: b!, user: '', claimHash: '', name: 'Bea', result: result(1_000, 9) }, 3);
        await store.put({ room, participant: a!, user: '', claimHash: '', name: 'Ann', result: result(2_000, 11) }, 4);
        await store.put({ room, participant: a!, user: '', claimHash: '', name: 'Ann', result: result(3_000, 13) }, 5);
        await store.put({ room: other.room, participant: other.participants[0]!, user: '', claimHash: '', name: 'Cy', result: result(2_500, 1) }, 6);
        const all = await store.forRoom(room, 10);
        expect(all.map((r) => r.runStartedAt)).toEqual([3_000, 2_000, 1_000, 1_000]); // newest run first
        expect(all.map((r) => [r.runStartedAt, r.name, r.result.points]).sort()).toEqual(
          [
            [3_000, 'Ann', 13],
            [2_000, 'Ann', 11],
            [1_000, 'Ann', 7],
            [1_000, 'Bea', 9],
          ].sort(),
        );
        expect(all.find((r) => r.result.points === 7)!.result).toEqual(result(1_000, 7));
        expect((await store.forRoom(room, 2)).map((r) => r.runStartedAt)).toEqual([3_000, 2_000]);
        expect(await store.forRoom(other.room, 10)).toHaveLength(1);
      }),
    );

    it(
      '40 racing posts of one run leave one row holding one posted result whole',
      using(async ({ store, seed }) => {
        const { room, participants: [a] } = await seed(1);
        await Promise.all(Array.from({ length: 40 }, (_, i) => store.put({ room, participant: a!, user: '', claimHash: '', name: 'Ann', result: result(5_000, i + 1) }, i)));
        const rows = await store.forRoom(room, 10);
        expect(rows).toHaveLength(1);
        const points = rows[0]!.result.points;
        expect(points).toBeGreaterThanOrEqual(1);
        expect(points).toBeLessThanOrEqual(40);
        expect(rows[0]!.result).toEqual(result(5_000, points)); // whole, never a mix of two posts
      }),
    );

    it(
      '150 participants posting at once all land',
      using(async ({ store, seed }) => {
        const { room, participants } = await seed(150);
        await Promise.all(participants.map((p, i) => store.put({ room, participant: p, user: '', claimHash: '', name: `P${i}`, result: result(9_000, i) }, i)));
        const rows = await store.forRoom(room, 1);
        expect(rows).toHaveLength(150);
        expect(new Set(rows.map((r) => r.participant))).toEqual(new Set(participants));
      }),
    );

    it(
      'a guest result is claimed once: of racing members one wins, the same member may repeat, a re-post keeps the claim',
      using(async ({ store, seed, member }) => {
        const { room, participants: [g] } = await seed(1);
        const input = { room, participant: g!, user: '', claimHash: 'c'.repeat(64), name: 'Gail', result: result(7_000, 12) };
        await store.put(input, 1);
        const stored = (await store.result(g!, 7_000))!;
        expect(stored).toMatchObject({ name: 'Gail', claimHash: 'c'.repeat(64), claimedBy: '', runStartedAt: 7_000 });
        expect(await store.result(g!, 7_001)).toBeNull();
        const members = await Promise.all(Array.from({ length: 12 }, () => member()));
        const outcomes = await Promise.all(members.map((m) => store.claim(stored.id, m)));
        expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'taken')).toHaveLength(11);
        const winner = members[outcomes.indexOf('claimed')]!;
        expect(await store.claim(stored.id, winner)).toBe('claimed');
        await store.put({ ...input, result: result(7_000, 13) }, 2); // the phone posts again
        const [after] = await store.forRoom(room, 1);
        expect(after).toMatchObject({ claimedBy: winner, result: result(7_000, 13) });
        expect(await store.claim('zzzzzzzzzzzzzzz', winner)).toBe('gone');
      }),
    );
  });
}
