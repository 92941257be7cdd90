import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { PushWrites, SessionWrite } from '../../../core/sync';
import { loadSyncConfig, type SyncConfig } from './config';
import { createSyncMaintenance, PURGE_ATTEMPTS } from './maintenance';
import { NO_WRITES } from './maintenance-plan';
import type { MaintenanceStore } from './maintenance-store';
import { createMemoryMaintenanceStore } from './memory-maintenance-store';
import { commitId, createMemorySyncStore, rowKey } from './memory-sync-store';
import type { CommitInput } from './store';

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
const logger = pino({ level: 'silent' });

interface Tomb {
  sessionId: string;
  seq: number;
  bytes: number;
  at: number;
}

/**
 * The in-memory sync store (the same one the store contract holds to PocketBase's behaviour),
 * seeded with members whose tombstones and mutation ids have chosen sequence numbers and times,
 * with hooks to make a push land before a purge's commit or a member read fail.
 */
function world(clock: { t: number }) {
  const store = createMemorySyncStore({ now: () => clock.t });
  const { tables } = store;
  const commits: CommitInput[] = [];
  const hooks = { beforeCommit: async (_input: CommitInput) => {}, failFor: new Set<string>() };
  const add = (member: string, opts: { tombs?: Tomb[]; muts?: { id: string; at: number }[]; bytes?: number }) => {
    const head = Math.max(0, ...(opts.tombs ?? []).map((t) => t.seq));
    tables.members.set(member, { epoch: 'e', bytes: opts.bytes ?? 1000, purgedSeq: 0 });
    if (head > 0) tables.commits.set(commitId(member, 0), { id: commitId(member, 0), member, base: 0, seq: head, created: clock.t });
    for (const t of opts.tombs ?? []) {
      const record = { kind: 'tombstone' as const, id: t.sessionId, deletedAt: `${t.at}-0000-phone` };
      tables.sessions.set(rowKey(member, t.sessionId), { member, record, deleted: true, tombstonedAt: t.at, seq: t.seq, bytes: t.bytes });
    }
    for (const x of opts.muts ?? []) tables.mutations.set(rowKey(member, x.id), { id: rowKey(member, x.id), member, seq: 0, at: x.at });
  };
  /** Another process's push: commits on the current head. */
  const push = async (member: string, writes: PushWrites = NO_WRITES) => {
    const base = await store.head(member);
    const outcome = await commit({ memberId: member, base, member: tables.members.get(member)!, writes, purge: { tombstones: [], mutations: [] }, now: clock.t });
    if (!outcome.ok) throw new Error('the racing push lost');
  };
  const commit = store.commit;
  const member = store.member;
  const sync = {
    ...store,
    member: async (m: string) => {
      if (hooks.failFor.has(m)) throw new Error('PocketBase said no');
      return member(m);
    },
    commit: async (input: CommitInput) => {
      await hooks.beforeCommit(input);
      const outcome = await commit(input);
      if (outcome.ok) commits.push(input);
      return outcome;
    },
  };
  const trimAsked: number[] = [];
  const memoryScan = createMemoryMaintenanceStore(tables);
  const scan: MaintenanceStore = {
    ...memoryScan,
    supersededCommits: (before, limit) => (trimAsked.push(before), memoryScan.supersededCommits(before, limit)),
  };
  return {
    store: sync,
    scan,
    commits,
    hooks,
    add,
    push,
    trimAsked,
    head: (m: string) => store.head(m),
    member: (m: string) => tables.members.get(m)!,
    tombs: (m: string) => [...tables.sessions.values()].filter((r) => r.member === m && r.deleted).map((r) => r.record.id),
    muts: (m: string) => [...tables.mutations.values()].filter((r) => r.member === m),
    rows: () => [...tables.commits.values()],
  };
}

function setup(overrides: Partial<SyncConfig> = {}) {
  const clock = { t: T0 };
  const w = world(clock);
  const config: SyncConfig = { ...loadSyncConfig({ SYNC_TOMBSTONE_DAYS: '1' }), ...overrides };
  const m = createSyncMaintenance({ store: w.store, scan: w.scan, config, now: () => clock.t, logger, sleep: async () => {}, random: () => 0.5 });
  return { clock, w, m, config };
}

/** Live sessions written by a racing push, with these byte counts. */
function sessionsOf(bytes: number[]): PushWrites {
  const sessions = new Map<string, SessionWrite>();
  bytes.forEach((b, i) => {
    const id = `pushed-${i}`;
    const h = { value: '', hlc: `${T0}-0000-phone` };
    const record = { kind: 'live' as const, id, startedAt: T0, plan: null, summary: null, title: h, notes: h, tags: { value: [], hlc: h.hlc } };
    sessions.set(id, { sessionId: id, record, bytes: b, tombstonedAt: 0, isNew: true });
  });
  return { sessions, chunks: new Map(), deletedChunks: [], applied: [], bytesDelta: bytes.reduce((x, y) => x + y, 0) };
}

const old = (sessionId: string, seq: number, bytes = 100): Tomb => ({ sessionId, seq, bytes, at: T0 - 2 * DAY });

describe('sync maintenance pass: purge', () => {
  it('purges expired rows of members who never push again, through a no-write commit on the head', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('s1', 3, 120), old('s2', 5, 80), { sessionId: 'fresh', seq: 6, bytes: 50, at: T0 - 1000 }], muts: [{ id: 'm1', at: T0 - 3 * DAY }], bytes: 1000 });
    w.add('b', { tombs: [{ sessionId: 'keep', seq: 2, bytes: 10, at: T0 }] });

    const report = await m.pass();
    expect(report).toMatchObject({ purgeCommits: 1, tombstones: 2, mutations: 1, bytes: 200, busy: 0, failed: 0, complete: true });
    const [c] = w.commits;
    expect(c!.memberId).toBe('a');
    expect(c!.base).toBe(6);
    expect(c!.writes.sessions.size + c!.writes.chunks.size + c!.writes.applied.length).toBe(0);
    expect(await w.head('a')).toBe(7);
    // purged_seq rises to the highest purged tombstone: cursors below it get a reset.
    expect(w.member('a')).toMatchObject({ purgedSeq: 5, bytes: 800 });
    expect(w.tombs('a')).toEqual(['fresh']);
    expect(w.muts('a')).toEqual([]);
    // Member b has nothing expired: no commit, head unchanged.
    expect(await w.head('b')).toBe(2);
    expect(await m.pass()).toMatchObject({ purgeCommits: 0, complete: true });
  });

  it('goes round again for a member with more expired rows than one batch', async () => {
    const { w, m } = setup({ purgePerPush: 2 });
    w.add('a', { tombs: [1, 2, 3, 4, 5].map((i) => old(`s${i}`, i)) });
    const report = await m.pass();
    expect(report).toMatchObject({ purgeCommits: 3, tombstones: 5, complete: true });
    expect(w.member('a').purgedSeq).toBe(5);
  });

  it('is bounded per pass and leaves the rest to the next one', async () => {
    const { w, m } = setup({ maintenancePurgesPerPass: 2 });
    for (const id of ['a', 'b', 'c']) w.add(id, { tombs: [old(`${id}1`, 1)] });
    expect(await m.pass()).toMatchObject({ purgeCommits: 2, complete: false });
    expect(await m.pass()).toMatchObject({ purgeCommits: 1, complete: true });
    expect(['a', 'b', 'c'].flatMap((id) => w.tombs(id))).toEqual([]);
  });

  it('a push that commits first makes it plan again on the new head', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('s1', 4)] });
    let raced = false;
    w.hooks.beforeCommit = async (input) => {
      if (raced) return;
      raced = true;
      // A push from another process lands between our head read and our commit.
      await w.push(input.memberId, sessionsOf([2000, 1000, 1000]));
    };
    const r = await m.purgeMember('a');
    expect(r).toMatchObject({ kind: 'purged', attempts: 2, head: 8, purgedSeq: 4 });
    expect(w.commits.map((c) => c.base)).toEqual([7]);
    // Planned again from fresh state: the push's bytes are kept.
    expect(w.member('a').bytes).toBe(4900);
  });

  it('after losing every attempt it leaves the member for the next pass and goes on with the others', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('a1', 1)] });
    w.add('b', { tombs: [{ ...old('b1', 1), at: T0 - 2 * DAY + 1 }] });
    let tries = 0;
    w.hooks.beforeCommit = async (input) => {
      if (input.memberId === 'a') {
        tries++;
        await w.push('a');
      }
    };
    const report = await m.pass();
    expect(tries).toBe(PURGE_ATTEMPTS);
    expect(report).toMatchObject({ purgeCommits: 1, busy: 1, complete: false });
    expect(w.tombs('a')).toHaveLength(1);
    expect(w.tombs('b')).toEqual([]);
  });

  it('never sends a plan whose head was read longer ago than the plan age allows', async () => {
    const { w, m, clock, config } = setup();
    w.add('a', { tombs: [old('s1', 1)] });
    let stalls = 1;
    const commit = w.store.commit;
    let sent = 0;
    w.store.commit = async (input) => {
      sent++;
      return commit(input);
    };
    const expired = w.store.expired;
    w.store.expired = async (...args) => {
      // This process stalls after reading the head (GC pause, slow PocketBase).
      if (stalls-- > 0) clock.t += config.planMaxAgeMs + 1;
      return expired(...args);
    };
    const r = await m.purgeMember('a');
    expect(r).toMatchObject({ kind: 'purged', attempts: 2 });
    expect(sent).toBe(1);
  });

  it('a member whose purge fails is logged and skipped; the others are purged', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('a1', 1)] });
    w.add('b', { tombs: [old('b1', 1)] });
    w.hooks.failFor.add('a');
    expect(await m.pass()).toMatchObject({ purgeCommits: 1, failed: 1, complete: false });
    expect(w.tombs('b')).toEqual([]);
  });

  it('stops between steps when asked', async () => {
    const { w, m } = setup();
    for (const id of ['a', 'b', 'c']) w.add(id, { tombs: [old(`${id}1`, 1)] });
    let calls = 0;
    const report = await m.pass({ shouldStop: () => ++calls > 2 });
    expect(report.complete).toBe(false);
    expect(report.purgeCommits).toBeLessThan(3);
  });
});

describe('sync maintenance pass: trimming sync_commits', () => {
  it('deletes superseded rows older than the retention and keeps each member’s newest', async () => {
    const { w, m, clock, config } = setup({ purgePerPush: 1 });
    w.add('a', { tombs: [1, 2, 3].map((i) => old(`s${i}`, i)) });
    w.add('b', { tombs: [old('b1', 1)] });
    await m.pass(); // four purge commits: three for a, one for b, each on its member's seeded head row
    expect(w.rows()).toHaveLength(6);
    expect((await m.pass()).trimmed).toBe(0); // too young

    clock.t += config.commitRetentionMs + 1;
    const report = await m.pass();
    expect(report).toMatchObject({ trimmed: 4, complete: true });
    expect(w.trimAsked.at(-1)).toBe(clock.t - config.commitRetentionMs);
    expect(w.rows().map((r) => [r.member, r.seq]).sort()).toEqual([
      ['a', 6],
      ['b', 2],
    ]);
  });

  it('trims even when a member’s purge keeps failing', async () => {
    const { w, m, clock, config } = setup({ purgePerPush: 1 });
    w.add('a', { tombs: [1, 2, 3].map((i) => old(`s${i}`, i)) });
    await m.pass();
    w.add('b', { tombs: [old('b1', 1)] });
    w.hooks.failFor.add('b');
    clock.t += config.commitRetentionMs + 1;
    expect(await m.pass()).toMatchObject({ failed: 1, trimmed: 3, complete: false });
  });

  it('trims at most maintenanceTrimPerPass rows per pass', async () => {
    const { w, m, clock, config } = setup({ purgePerPush: 1, maintenanceTrimPerPass: 2 });
    w.add('a', { tombs: [1, 2, 3, 4, 5].map((i) => old(`s${i}`, i)) });
    await m.pass();
    clock.t += config.commitRetentionMs + 1;
    expect(await m.pass()).toMatchObject({ trimmed: 2, complete: false });
    expect(await m.pass()).toMatchObject({ trimmed: 2, complete: false });
    expect(await m.pass()).toMatchObject({ trimmed: 1, complete: true });
    expect(w.rows()).toHaveLength(1);
  });
});
