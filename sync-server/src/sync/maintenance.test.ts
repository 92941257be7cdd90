import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSyncConfig, type SyncConfig } from './config';
import { createSyncMaintenance, PURGE_ATTEMPTS } from './maintenance';
import type { MaintenanceStore, SupersededCommit } from './maintenance-store';
import type { CommitInput, MemberState, SyncStore } from './store';

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
 * An in-memory model of the parts of the store the pass uses: per member a head, a member
 * row, tombstones and mutation ids with their times, and commit rows; commit is a
 * compare-and-set on the head like the PocketBase store's unique (member, base) row.
 */
function world(clock: { t: number }) {
  const heads = new Map<string, number>();
  const members = new Map<string, MemberState>();
  const tombs = new Map<string, Tomb[]>();
  const muts = new Map<string, { id: string; at: number }[]>();
  const commits: CommitInput[] = [];
  let commitRows: (SupersededCommit & { created: number })[] = [];
  const hooks = { beforeCommit: async (_input: CommitInput) => {}, failFor: new Set<string>() };
  const add = (member: string, opts: { tombs?: Tomb[]; muts?: { id: string; at: number }[]; bytes?: number }) => {
    const head = Math.max(0, ...(opts.tombs ?? []).map((t) => t.seq));
    heads.set(member, head);
    members.set(member, { epoch: 'e', bytes: opts.bytes ?? 1000, purgedSeq: 0 });
    tombs.set(member, opts.tombs ?? []);
    muts.set(member, opts.muts ?? []);
  };
  const store: Pick<SyncStore, 'head' | 'member' | 'expired' | 'commit'> = {
    head: async (m) => heads.get(m) ?? 0,
    member: async (m) => {
      if (hooks.failFor.has(m)) throw new Error('PocketBase said no');
      return members.get(m)!;
    },
    expired: async (m, before, limit) => ({
      tombstones: (tombs.get(m) ?? []).filter((t) => t.at < before).slice(0, limit),
      mutations: (muts.get(m) ?? []).filter((x) => x.at < before).slice(0, limit).map((x) => x.id),
    }),
    commit: async (input) => {
      await hooks.beforeCommit(input);
      const m = input.memberId;
      if ((heads.get(m) ?? 0) !== input.base) return { ok: false, reason: 'conflict', detail: 'base taken' };
      commits.push(input);
      const gone = new Set(input.purge.tombstones.map((t) => t.sessionId));
      tombs.set(m, tombs.get(m)!.filter((t) => !gone.has(t.sessionId)));
      const goneIds = new Set(input.purge.mutations);
      muts.set(m, muts.get(m)!.filter((x) => !goneIds.has(x.id)));
      const purgedSeq = Math.max(input.member.purgedSeq, ...input.purge.tombstones.map((t) => t.seq));
      const bytes = input.member.bytes - input.purge.tombstones.reduce((s, t) => s + t.bytes, 0);
      const head = input.base + 1;
      heads.set(m, head);
      members.set(m, { ...input.member, bytes, purgedSeq });
      commitRows.push({ id: `${m}-${input.base}`, member: m, seq: head, created: clock.t });
      return { ok: true, head, purgedSeq };
    },
  };
  const trimAsked: number[] = [];
  const scan: MaintenanceStore = {
    async expiredOwners(before, limit) {
      const t = [...tombs].flatMap(([m, ts]) => ts.filter((x) => x.at < before).map((x) => ({ m, at: x.at })));
      const u = [...muts].flatMap(([m, xs]) => xs.filter((x) => x.at < before).map((x) => ({ m, at: x.at })));
      const order = (rows: { m: string; at: number }[]) => rows.sort((a, b) => a.at - b.at).slice(0, limit).map((r) => r.m);
      return { tombstones: order(t), mutations: order(u) };
    },
    async supersededCommits(before, limit) {
      trimAsked.push(before);
      const newest = new Map<string, number>();
      for (const r of commitRows) newest.set(r.member, Math.max(newest.get(r.member) ?? 0, r.seq));
      return commitRows.filter((r) => r.created < before && r.seq < newest.get(r.member)!).slice(0, limit);
    },
    async deleteCommits(ids) {
      const before = commitRows.length;
      commitRows = commitRows.filter((r) => !ids.includes(r.id));
      return before - commitRows.length;
    },
  };
  return { heads, members, tombs, muts, commits, hooks, add, store, scan, trimAsked, rows: () => commitRows };
}

function setup(overrides: Partial<SyncConfig> = {}) {
  const clock = { t: T0 };
  const w = world(clock);
  const config: SyncConfig = { ...loadSyncConfig({ SYNC_TOMBSTONE_DAYS: '1' }), ...overrides };
  const m = createSyncMaintenance({ store: w.store, scan: w.scan, config, now: () => clock.t, logger, sleep: async () => {}, random: () => 0.5 });
  return { clock, w, m, config };
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
    expect(w.heads.get('a')).toBe(7);
    // purged_seq rises to the highest purged tombstone: cursors below it get a reset.
    expect(w.members.get('a')).toMatchObject({ purgedSeq: 5, bytes: 800 });
    expect(w.tombs.get('a')!.map((t) => t.sessionId)).toEqual(['fresh']);
    expect(w.muts.get('a')).toEqual([]);
    // Member b has nothing expired: no commit, head unchanged.
    expect(w.heads.get('b')).toBe(2);
    expect(await m.pass()).toMatchObject({ purgeCommits: 0, complete: true });
  });

  it('goes round again for a member with more expired rows than one batch', async () => {
    const { w, m } = setup({ purgePerPush: 2 });
    w.add('a', { tombs: [1, 2, 3, 4, 5].map((i) => old(`s${i}`, i)) });
    const report = await m.pass();
    expect(report).toMatchObject({ purgeCommits: 3, tombstones: 5, complete: true });
    expect(w.members.get('a')!.purgedSeq).toBe(5);
  });

  it('is bounded per pass and leaves the rest to the next one', async () => {
    const { w, m } = setup({ maintenancePurgesPerPass: 2 });
    for (const id of ['a', 'b', 'c']) w.add(id, { tombs: [old(`${id}1`, 1)] });
    expect(await m.pass()).toMatchObject({ purgeCommits: 2, complete: false });
    expect(await m.pass()).toMatchObject({ purgeCommits: 1, complete: true });
    expect([...w.tombs.values()].flat()).toEqual([]);
  });

  it('a push that commits first makes it plan again on the new head', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('s1', 4)] });
    let raced = false;
    w.hooks.beforeCommit = async (input) => {
      if (raced) return;
      raced = true;
      // A push from another process lands between our head read and our commit.
      w.heads.set(input.memberId, input.base + 3);
      w.members.set(input.memberId, { ...w.members.get(input.memberId)!, bytes: 5000 });
    };
    const r = await m.purgeMember('a');
    expect(r).toMatchObject({ kind: 'purged', attempts: 2, head: 8, purgedSeq: 4 });
    expect(w.commits.map((c) => c.base)).toEqual([7]);
    // Planned again from fresh state: the push's bytes are kept.
    expect(w.members.get('a')!.bytes).toBe(4900);
  });

  it('after losing every attempt it leaves the member for the next pass and goes on with the others', async () => {
    const { w, m } = setup();
    w.add('a', { tombs: [old('a1', 1)] });
    w.add('b', { tombs: [{ ...old('b1', 1), at: T0 - 2 * DAY + 1 }] });
    let tries = 0;
    w.hooks.beforeCommit = async (input) => {
      if (input.memberId === 'a') {
        tries++;
        w.heads.set('a', w.heads.get('a')! + 1);
      }
    };
    const report = await m.pass();
    expect(tries).toBe(PURGE_ATTEMPTS);
    expect(report).toMatchObject({ purgeCommits: 1, busy: 1, complete: false });
    expect(w.tombs.get('a')).toHaveLength(1);
    expect(w.tombs.get('b')).toEqual([]);
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
    expect(w.tombs.get('b')).toEqual([]);
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
    await m.pass(); // four purge commits: three rows for a, one for b
    expect(w.rows()).toHaveLength(4);
    expect((await m.pass()).trimmed).toBe(0); // too young

    clock.t += config.commitRetentionMs + 1;
    const report = await m.pass();
    expect(report).toMatchObject({ trimmed: 2, complete: true });
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
    expect(await m.pass()).toMatchObject({ failed: 1, trimmed: 2, complete: false });
  });

  it('trims at most maintenanceTrimPerPass rows per pass', async () => {
    const { w, m, clock, config } = setup({ purgePerPush: 1, maintenanceTrimPerPass: 2 });
    w.add('a', { tombs: [1, 2, 3, 4, 5].map((i) => old(`s${i}`, i)) });
    await m.pass();
    clock.t += config.commitRetentionMs + 1;
    expect(await m.pass()).toMatchObject({ trimmed: 2, complete: false });
    expect(await m.pass()).toMatchObject({ trimmed: 2, complete: false });
    expect(await m.pass()).toMatchObject({ trimmed: 0, complete: true });
    expect(w.rows()).toHaveLength(1);
  });
});
