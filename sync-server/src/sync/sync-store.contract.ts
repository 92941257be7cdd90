/**
 * The contract of a SyncStore (store.ts), run against the in-memory store
 * (sync-store.memory.test.ts) and PocketBase (tests/integration/stores/sync-store.pb.test.ts).
 * `make` returns an empty store; `newMember` a member id the store accepts (PocketBase: a user).
 *
 * What the concurrency cases prove:
 * - racing commits on one head: the compare-and-set has exactly one winner, and a loser leaves
 *   nothing behind (not even a burnt base);
 * - writers that retry on the head until they land: no committed write is ever lost, sequence
 *   numbers are unique and gap-free, and the member's byte count equals what is stored;
 * - 200 parallel pushes against the storage quota: exactly the pushes that fit are applied,
 *   the quota is never exceeded;
 * - a batch that fails half-way (an update of a row that is gone, after creates) leaves nothing;
 * - the maintenance purge racing pushes: every push lands once, the tombstone is purged once;
 * - documents (protocol 2): two devices racing profile edits through the service both land,
 *   merged per field (no lost update of the one profile row); a deleted plan stays deleted.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { docValues, PROTOCOL_VERSION, recordBytes, type Mutation, type PushWrites, type SessionRecord, type SessionWrite } from '../../../core/sync';
import { liveSession, stamp, upsert, uuid } from '../../../core/sync/testing/fixtures';
import { createSyncMaintenance } from './maintenance';
import type { MaintenanceStore } from './maintenance-store';
import { createSyncService } from './service';
import type { CommitInput, SyncStore } from './store';
import { testSyncConfig } from './testing/config';

export interface SyncStoreHarness {
  store: SyncStore;
  newMember(): Promise<string>;
  dispose(): Promise<void>;
}

const NO_PURGE = { tombstones: [], mutations: [] } as const;
const DEVICE = 'phone-a1';

/** The writes of a plan that creates these sessions and logs one mutation id each. */
function creates(records: readonly SessionRecord[], opts: { existing?: readonly string[] } = {}): PushWrites {
  const sessions = new Map<string, SessionWrite>();
  for (const r of records) sessions.set(r.id, { sessionId: r.id, record: r, bytes: recordBytes(r), tombstonedAt: 0, isNew: !opts.existing?.includes(r.id) });
  const bytesDelta = records.reduce((sum, r) => sum + recordBytes(r), 0);
  return { sessions, chunks: new Map(), deletedChunks: [], applied: records.map(() => uuid()), bytesDelta };
}

/** Yields to the event loop between commit attempts (no fixed wait decides anything). */
const yieldOnce = () => new Promise<void>((r) => setImmediate(r));

export function syncStoreContract(make: () => Promise<SyncStoreHarness>) {
  describe('SyncStore contract', () => {
    const using = async (fn: (h: SyncStoreHarness) => Promise<void>) => {
      const h = await make();
      try {
        await fn(h);
      } finally {
        await h.dispose();
      }
    };
    const now = Date.now();
    const session = (i = 0) => liveSession({ startedAt: now - 3_600_000 - i * 1000, deviceId: DEVICE });

    /** Commits one plan on the member's current head. */
    async function commitOnHead(store: SyncStore, memberId: string, writes: PushWrites) {
      const base = await store.head(memberId);
      const member = await store.member(memberId);
      return store.commit({ memberId, base, member, writes, purge: NO_PURGE, now, deviceId: DEVICE });
    }

    it('a commit moves the head by the rows it changed and is visible to reads and pulls', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const member = await store.member(m);
        expect(member).toMatchObject({ bytes: 0, purgedSeq: 0 });
        expect(await store.member(m)).toEqual(member); // the row is created once
        expect(await store.head(m)).toBe(0);
        const a = session(1);
        const b = session(2);
        const w = creates([a, b]);
        expect(await commitOnHead(store, m, w)).toEqual({ ok: true, head: 2, purgedSeq: 0 });
        expect(await store.head(m)).toBe(2);
        expect((await store.member(m)).bytes).toBe(w.bytesDelta);
        expect(await store.appliedIds(m, [...w.applied, uuid()])).toEqual(new Set(w.applied));
        expect([...(await store.sessions(m, [a.id, b.id, uuid()])).keys()].sort()).toEqual([a.id, b.id].sort());
        const pulled = await store.pullSessions(m, 0, 2, 10);
        expect(pulled.map((p) => p.seq)).toEqual([1, 2]);
        expect(pulled.map((p) => p.record)).toEqual([a, b]);
        expect(await store.pullSessions(m, 1, 2, 10)).toHaveLength(1);
        expect(await store.pullSessions(m, 0, 1, 10)).toHaveLength(1);
        // Another member sees none of it.
        const other = await newMember();
        expect(await store.head(other)).toBe(0);
        expect((await store.sessions(other, [a.id])).size).toBe(0);
        expect(await store.appliedIds(other, w.applied)).toEqual(new Set());
      });
    });

    it('racing commits on one head: exactly one compare-and-set winner; the losers leave nothing', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        await commitOnHead(store, m, creates([session(0)]));
        const base = await store.head(m);
        const member = await store.member(m);
        const plans = Array.from({ length: 20 }, (_, i) => creates([session(10 + i)]));
        const outcomes = await Promise.all(plans.map((writes) => store.commit({ memberId: m, base, member, writes, purge: NO_PURGE, now })));
        const winners = outcomes.flatMap((o, i) => (o.ok ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'conflict')).toBe(true);
        const won = plans[winners[0]!]!;
        expect(await store.head(m)).toBe(base + 1);
        const ids = plans.map((p) => [...p.sessions.keys()][0]!);
        expect([...(await store.sessions(m, ids)).keys()]).toEqual([...won.sessions.keys()]);
        expect(await store.appliedIds(m, plans.flatMap((p) => p.applied))).toEqual(new Set(won.applied));
        expect((await store.member(m)).bytes).toBe(member.bytes + won.bytesDelta);
      });
    });

    it('writers retrying on the head all land: no committed write is lost, sequence numbers are unique', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const records = Array.from({ length: 30 }, (_, i) => session(i));
        let conflicts = 0;
        await Promise.all(
          records.map(async (r) => {
            const writes = creates([r]);
            for (;;) {
              const o = await commitOnHead(store, m, writes);
              if (o.ok) return;
              conflicts += 1;
              await yieldOnce();
            }
          }),
        );
        expect(conflicts).toBeGreaterThan(0); // they did race
        expect(await store.head(m)).toBe(records.length);
        const pulled = await store.pullSessions(m, 0, records.length, 1000);
        expect(pulled.map((p) => p.seq)).toEqual(records.map((_, i) => i + 1));
        expect(pulled.map((p) => p.record.id).sort()).toEqual(records.map((r) => r.id).sort());
        expect((await store.member(m)).bytes).toBe(records.reduce((sum, r) => sum + recordBytes(r), 0));
      });
    });

    it('a batch that fails half-way leaves nothing, and its base stays free', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        await commitOnHead(store, m, creates([session(0)]));
        const before = { head: await store.head(m), member: await store.member(m) };
        const fresh = session(1);
        const gone = session(2); // "updated", but it was never stored: the batch fails after the create
        const writes = creates([fresh, gone], { existing: [gone.id] });
        const o = await commitOnHead(store, m, writes);
        expect(o.ok).toBe(false);
        expect(await store.head(m)).toBe(before.head);
        expect((await store.sessions(m, [fresh.id, gone.id])).size).toBe(0);
        expect(await store.appliedIds(m, writes.applied)).toEqual(new Set());
        expect(await store.member(m)).toEqual(before.member);
        expect(await store.pullSessions(m, before.head, before.head + 10, 10)).toEqual([]);
        // The same base takes a good plan afterwards.
        expect(await commitOnHead(store, m, creates([fresh]))).toMatchObject({ ok: true, head: before.head + 1 });
      });
    });

    it('200 parallel pushes against the quota: exactly the pushes that fit are applied, the quota is never exceeded', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const sessions = Array.from({ length: 200 }, (_, i) => session(i));
        const size = recordBytes(sessions[0]!);
        expect(sessions.every((s) => recordBytes(s) === size)).toBe(true);
        const FIT = 5;
        const service = createSyncService({
          store,
          config: testSyncConfig({ quotaBytes: FIT * size + Math.floor(size / 2) }),
          now: () => now,
          sleep: yieldOnce,
          random: () => 0.5,
        });
        const answers = await Promise.all(sessions.map((s) => service.push(m, { protocol: PROTOCOL_VERSION, deviceId: DEVICE, mutations: [upsert(s)] })));
        const statuses = answers.map((a) => (a.results[0]!.status === 'rejected' ? a.results[0]!.code : a.results[0]!.status));
        expect(statuses.filter((s) => s === 'applied')).toHaveLength(FIT);
        expect(statuses.filter((s) => s === 'quota_exceeded')).toHaveLength(200 - FIT);
        expect((await store.member(m)).bytes).toBe(FIT * size);
        expect(await store.head(m)).toBe(FIT);
        expect((await store.sessions(m, sessions.map((s) => s.id))).size).toBe(FIT);
      });
    });

    it('the maintenance purge racing pushes: every push lands once, the tombstone is purged once', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const clock = { t: now };
        const config = testSyncConfig({ tombstoneMs: 1000 });
        const deps = { store, config, now: () => clock.t, sleep: yieldOnce, random: () => 0.5 };
        const service = createSyncService(deps);
        const doomed = session(0);
        const del: Mutation = { id: uuid(), type: 'session.delete', sessionId: doomed.id, hlc: stamp(now, DEVICE) };
        await service.push(m, { protocol: PROTOCOL_VERSION, deviceId: DEVICE, mutations: [upsert(doomed)] });
        await service.push(m, { protocol: PROTOCOL_VERSION, deviceId: DEVICE, mutations: [del] });
        const tombSeq = await store.head(m);
        clock.t = now + 5000; // the tombstone (and both mutation ids) expired
        const noScan = {} as MaintenanceStore; // purgeMember reads per member through the SyncStore
        const maintenance = createSyncMaintenance({ ...deps, scan: noScan, logger: pino({ level: 'silent' }) });

        const sessions = Array.from({ length: 20 }, (_, i) => session(100 + i));
        const [answers, purges] = await Promise.all([
          Promise.all(sessions.map((s) => service.push(m, { protocol: PROTOCOL_VERSION, deviceId: DEVICE, mutations: [upsert(s)] }))),
          Promise.all(Array.from({ length: 5 }, () => maintenance.purgeMember(m))),
        ]);
        // A purge that kept losing to pushes is left for the next pass: run it until nothing is left.
        for (let i = 0; i < 10 && (await maintenance.purgeMember(m)).kind !== 'nothing'; i++) {
          /* another round */
        }
        expect(answers.every((a) => a.results[0]!.status === 'applied')).toBe(true);
        const purged = purges.reduce((sum, p) => sum + (p.kind === 'purged' ? p.tombstones : 0), 0);
        expect(purged).toBeLessThanOrEqual(1);
        expect((await store.sessions(m, [doomed.id])).size).toBe(0);
        const member = await store.member(m);
        expect(member.purgedSeq).toBe(tombSeq);
        expect(member.bytes).toBe(sessions.reduce((sum, s) => sum + recordBytes(s), 0));
        const all = await store.pullSessions(m, 0, await store.head(m), 1000);
        expect(all.map((p) => p.record.id).sort()).toEqual(sessions.map((s) => s.id).sort());
        expect(new Set(all.map((p) => p.seq)).size).toBe(all.length);
        const expired = await store.expired(m, clock.t, 100);
        expect(expired.tombstones).toEqual([]);
        // Only the 20 new pushes' mutation ids are left, none of them expired yet at their own time.
        expect(expired.mutations.length).toBeLessThanOrEqual(20);
      });
    });

    it('pulls bound by the head: chunks leave out the asking device, sessionChunks are in index order', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const s = session(0);
        await commitOnHead(store, m, creates([s]));
        const put = (index: number) => ({
          id: uuid(),
          type: 'chunk.put' as const,
          sessionId: s.id,
          index,
          sealed: true,
          payload: 'AQA=',
          sha256: String(index).repeat(64).slice(0, 64),
          readingCount: 1,
          firstT: index,
          lastT: index,
        });
        const chunks = new Map([1, 0].map((i) => [`${s.id}:${i}`, { put: put(i), bytes: 2, isNew: true }]));
        const writes: PushWrites = { sessions: new Map(), chunks, deletedChunks: [], applied: [uuid()], bytesDelta: 4 };
        const base = await store.head(m);
        const input: CommitInput = { memberId: m, base, member: await store.member(m), writes, purge: NO_PURGE, now, deviceId: 'tablet-b2' };
        expect(await store.commit(input)).toMatchObject({ ok: true, head: base + 2 });
        expect((await store.pullChunks(m, 0, base + 2, 10)).map((c) => c.change.index)).toEqual([1, 0]);
        expect(await store.pullChunks(m, 0, base + 2, 10, 'tablet-b2')).toEqual([]);
        expect(await store.pullChunks(m, 0, base + 1, 10, DEVICE)).toHaveLength(1);
        expect((await store.sessionChunks(m, s.id, 0, 10)).map((c) => c.index)).toEqual([0, 1]);
        expect((await store.sessionChunks(m, s.id, 1, 10)).map((c) => c.index)).toEqual([1]);
        expect((await store.chunksOf(m, [s.id])).size).toBe(2);
      });
    });

    it('documents: racing profile edits from two devices all land, merged per field; a deleted plan stays deleted', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const service = createSyncService({ store, config: testSyncConfig(), now: () => now, sleep: yieldOnce, random: () => 0.5 });
        const push = (deviceId: string, mutations: Mutation[]) => service.push(m, { protocol: PROTOCOL_VERSION, deviceId, mutations });
        const patch = (deviceId: string, ms: number, values: Record<string, unknown>): Mutation =>
          ({ id: uuid(), type: 'doc.patch', doc: 'profile', docId: 'profile', values, hlc: stamp(ms, deviceId) }) as Mutation;
        // Phone edits age and weight, tablet resting HR and weight (later), all at once: every
        // commit reads the row the previous one left, or loses the head and plans again.
        const phone = [patch('phone', now - 50, { age: 41 }), patch('phone', now - 40, { weightKg: 80 })];
        const tablet = [patch('tablet', now - 45, { restingHr: 52 }), patch('tablet', now - 30, { weightKg: 79 })];
        const answers = await Promise.all([...phone.map((x) => push('phone', [x])), ...tablet.map((x) => push('tablet', [x]))]);
        expect(answers.every((a) => a.results[0]!.status === 'applied')).toBe(true);
        const profile = (await store.docs(m, ['profile:profile'])).get('profile:profile')!;
        expect(docValues(profile.record)).toEqual({ age: 41, weightKg: 79, restingHr: 52 });
        expect((await store.member(m)).bytes).toBe(profile.bytes);

        const planId = 'plan-abc';
        const body = { v: 1, mode: 'stopwatch', name: 'Hills' };
        await push('phone', [{ id: uuid(), type: 'doc.patch', doc: 'plan', docId: planId, values: { name: 'Hills', body }, hlc: stamp(now - 20, 'phone') } as Mutation]);
        await push('tablet', [{ id: uuid(), type: 'doc.delete', doc: 'plan', docId: planId, hlc: stamp(now - 10, 'tablet') }]);
        // The phone was offline: its later rename arrives after the delete, and is absorbed.
        const late = await push('phone', [{ id: uuid(), type: 'doc.patch', doc: 'plan', docId: planId, values: { name: 'Hills 2' }, hlc: stamp(now - 5, 'phone') } as Mutation]);
        expect(late.results[0]).toMatchObject({ status: 'applied', code: 'plan_deleted' });
        const pulled = await store.pullDocs(m, 0, await store.head(m), 100);
        expect(pulled.map((d) => d.record.id).sort()).toEqual([planId, 'profile']);
        expect(pulled.find((d) => d.record.id === planId)!.record).toEqual({ type: 'plan', id: planId, fields: {}, deletedAt: stamp(now - 10, 'tablet') });
        expect(new Set(pulled.map((d) => d.seq)).size).toBe(pulled.length);
        // Another member sees none of it.
        const other = await newMember();
        expect((await store.docs(other, ['profile:profile'])).size).toBe(0);
      });
    });

    it('documents: racing commits on one head that both create the profile row have one winner', async () => {
      await using(async ({ store, newMember }) => {
        const m = await newMember();
        const base = await store.head(m);
        const member = await store.member(m);
        const write = (age: number): PushWrites => {
          const record = { type: 'profile' as const, id: 'profile', fields: { age: { value: age, hlc: stamp(now, DEVICE) } } };
          return { sessions: new Map(), chunks: new Map(), deletedChunks: [], docs: new Map([['profile:profile', { key: 'profile:profile', record, bytes: recordBytes(record), isNew: true }]]), applied: [uuid()], bytesDelta: recordBytes(record) };
        };
        const outcomes = await Promise.all([30, 31, 32, 33].map((age) => store.commit({ memberId: m, base, member, writes: write(age), purge: NO_PURGE, now })));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(await store.head(m)).toBe(base + 1);
        expect(await store.pullDocs(m, 0, base + 1, 10)).toHaveLength(1);
      });
    });
  });
}
