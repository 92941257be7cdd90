import { describe, expect, it } from 'vitest';
import { claimJob, type UploadStore } from './store';

/**
 * The upload store's contract, for memory and PocketBase. `make` gives two handles on one store
 * (two "processes": for PocketBase, two superuser clients) and a way to make members.
 */
export interface UploadStoreFixture {
  stores: [UploadStore, UploadStore];
  newMember(): Promise<string>;
}

const T0 = Date.UTC(2026, 8, 1, 7, 0, 0);
const sid = () => globalThis.crypto.randomUUID();
/** Runs of the contract in this module (see the rate-limit case). */
let contractRuns = 0;

export function uploadStoreContract(name: string, make: () => Promise<UploadStoreFixture>) {
  describe(`${name}: upload store contract`, () => {
    it('enqueue makes one queued job per member and session', async () => {
      const { stores: [a], newMember } = await make();
      const m = await newMember();
      const s = sid();
      const first = await a.enqueue(m, s, T0);
      expect(first.created).toBe(true);
      expect(first.job).toMatchObject({ memberId: m, sessionId: s, state: 'queued', attempts: 0, nextRunAt: T0, leaseUntil: 0, uploadId: null, activityId: null, sent: false });
      const again = await a.enqueue(m, s, T0 + 5);
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      expect(await a.ofSession(m, s)).toMatchObject({ id: first.job.id });
      expect((await a.ofMember(m)).map((j) => j.id)).toEqual([first.job.id]);
      expect(await a.ofMember(m, { sessionIds: [] })).toEqual([]);
    });

    it('200 parallel enqueues of one session from two processes make one job', async () => {
      const { stores: [a, b], newMember } = await make();
      const m = await newMember();
      const s = sid();
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).enqueue(m, s, T0 + i)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      expect(await a.ofMember(m)).toHaveLength(1);
    });

    it('two workers racing for one job: exactly one claims it', async () => {
      const { stores: [a, b], newMember } = await make();
      const m = await newMember();
      await a.enqueue(m, sid(), T0);
      const [seenA] = await a.due(T0, 10).then((d) => d.filter((j) => j.memberId === m));
      const [seenB] = await b.due(T0, 10).then((d) => d.filter((j) => j.memberId === m));
      const [ca, cb] = await Promise.all([claimJob(a, seenA!, 'worker-a', T0, 60_000), claimJob(b, seenB!, 'worker-b', T0, 60_000)]);
      expect([ca, cb].filter(Boolean)).toHaveLength(1);
      const winner = (ca ?? cb)!;
      expect((await a.get(winner.id))!).toMatchObject({ holder: winner.holder, leaseUntil: T0 + 60_000 });
      // While the lease runs, the job is not due for anyone.
      expect((await b.due(T0 + 1_000, 10)).some((j) => j.id === winner.id)).toBe(false);
    });

    it('a worker killed half-way: its lease expires, another takes over, its late write loses', async () => {
      const { stores: [a, b], newMember } = await make();
      const m = await newMember();
      const { job } = await a.enqueue(m, sid(), T0);
      const held = (await claimJob(a, job, 'dies', T0, 30_000))!;
      const mid = (await a.cas(held, { state: 'uploading', sent: true }))!;
      expect(mid.state).toBe('uploading');
      // …killed here. Until the lease runs out nobody takes it:
      expect((await b.due(T0 + 29_000, 10)).some((j) => j.id === job.id)).toBe(false);
      const due = (await b.due(T0 + 30_001, 10)).find((j) => j.id === job.id)!;
      expect(due).toMatchObject({ state: 'uploading', sent: true, holder: 'dies' });
      const taken = (await claimJob(b, due, 'heir', T0 + 30_001, 30_000))!;
      expect(taken.holder).toBe('heir');
      // The first worker was only stalled, and writes late from what it read: refused.
      expect(await a.cas(mid, { state: 'done', activityId: '1' })).toBeNull();
      const done = (await b.cas(taken, { state: 'done', activityId: '77', leaseUntil: 0, finishedAt: T0 + 31_000 }))!;
      expect(await a.get(job.id)).toMatchObject({ state: 'done', activityId: '77', version: done.version });
      expect((await a.due(T0 + 99_000, 10)).some((j) => j.id === job.id)).toBe(false);
    });

    it('cas from a stale version is refused; 20 parallel writers of one version: one wins', async () => {
      const { stores: [a, b], newMember } = await make();
      const m = await newMember();
      const { job } = await a.enqueue(m, sid(), T0);
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).cas(job, { attempts: i + 1 })));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const now = (await a.get(job.id))!;
      expect(now.version).toBe(job.version + 1);
      expect(now.attempts).toBe(wins.find(Boolean)!.attempts);
    });

    it('due lists active jobs whose time has come, oldest first', async () => {
      const { stores: [a], newMember } = await make();
      const m = await newMember();
      const later = (await a.enqueue(m, sid(), T0 + 500)).job;
      const first = (await a.enqueue(m, sid(), T0 + 100)).job;
      const finished = (await a.enqueue(m, sid(), T0)).job;
      await a.cas(finished, { state: 'done' });
      const ids = (await a.due(T0 + 1_000, 50)).filter((j) => j.memberId === m).map((j) => j.id);
      expect(ids).toEqual([first.id, later.id]);
      expect((await a.due(T0 + 200, 50)).filter((j) => j.memberId === m).map((j) => j.id)).toEqual([first.id]);
    });

    it('rate-limit back-offs: the furthest still running wins, from either process', async () => {
      const { stores: [a, b] } = await make();
      // Each run of the contract in one database (two queues may share one rate-block table:
      // intervals.icu's uploads and wellness) starts after the previous run's blocks have ended.
      const base = T0 + ++contractRuns * 10_000_000_000 + Math.floor(Math.random() * 1e6);
      await a.addRateBlock({ at: base, until: base + 60_000, reason: 'usage', usage: '200,300' });
      await b.addRateBlock({ at: base, until: base + 900_000, reason: '429', usage: '201,301' });
      expect(await a.rateBlock(base + 1)).toMatchObject({ until: base + 900_000, reason: '429' });
      expect(await b.rateBlock(base + 900_000)).toBeNull();
    });

    it("the member's choice (default off) and the discovery cursor", async () => {
      const { stores: [a, b], newMember } = await make();
      const m = await newMember();
      expect(await a.mode(m)).toBe('off');
      await a.setMode(m, 'auto', 17);
      expect(await b.mode(m)).toBe('auto');
      expect((await b.autoMembers()).get(m)).toBe(17);
      await b.setMode(m, 'manual');
      expect((await a.autoMembers()).has(m)).toBe(false);
      expect(await a.scanCursor(m)).toBe(0);
      await a.setScanCursor(m, 42);
      expect(await b.scanCursor(m)).toBe(42);
    });

    it('removeMember deletes every job of that member only', async () => {
      const { stores: [a], newMember } = await make();
      const [m, other] = [await newMember(), await newMember()];
      await a.enqueue(m, sid(), T0);
      await a.enqueue(m, sid(), T0);
      await a.enqueue(other, sid(), T0);
      await a.removeMember(m);
      expect(await a.ofMember(m)).toEqual([]);
      expect(await a.ofMember(other)).toHaveLength(1);
    });
  });
}
