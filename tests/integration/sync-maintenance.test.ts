import PocketBase from 'pocketbase';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type LiveSession, type Mutation, type SessionRecord } from '../../core/sync';
import { createLeases } from '../../sync-server/src/spotify/lease';
import { loadSyncConfig, type SyncConfig } from '../../sync-server/src/sync/config';
import { createSyncMaintenance } from '../../sync-server/src/sync/maintenance';
import { createMaintenanceJob } from '../../sync-server/src/sync/maintenance-job';
import { createPbMaintenanceStore } from '../../sync-server/src/sync/pb-maintenance-store';
import { createSyncService } from '../../sync-server/src/sync/service';
import { createPbSyncStore } from '../../sync-server/src/sync/pb-sync-store';
import type { SyncStore } from '../../sync-server/src/sync/store';
import { chunkPuts, hourOfReadings, liveSession, pushBody, stamp, upsert, uuid } from '../../sync-server/src/sync/testing/fixtures';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// The sync maintenance pass (docs/sync-protocol.md §5 "Purge", §7 "Trimming sync_commits").
// Part 1: a real sync server whose background pass runs every 300 ms with tombstones kept
// ~2.6 s. Part 2: the pass and the push service run in this process against their own
// PocketBase, with clocks and store hooks that make the races deterministic.

const DAY = 86_400_000;
const TOMBSTONE_DAYS = 0.00003; // 2.6 s
const logger = pino({ level: 'silent' });
const seqOf = (cursor: string) => Number(cursor.split('.')[1]);

async function superuser(t: TestPocketBase) {
  const pb = new PocketBase(t.url);
  pb.autoCancellation(false);
  await pb.collection('_superusers').authWithPassword(t.superuser.email, t.superuser.password);
  return pb;
}

const rowsOf = (pb: PocketBase, collection: string, member: string, sort = 'seq') =>
  pb.collection(collection).getFullList<Record<string, any>>({ filter: pb.filter('member = {:m}', { m: member }), sort });

/** The member's commit rows chain: each planned on the one before (as far as not trimmed). */
async function expectContiguousLog(pb: PocketBase, member: string) {
  const commits = await rowsOf(pb, 'sync_commits', member);
  for (let i = 1; i < commits.length; i++) expect(commits[i]!.base, `commit ${i}`).toBe(commits[i - 1]!.seq);
  for (const c of commits) expect(c.seq).toBeGreaterThan(c.base);
  const head = commits.at(-1)?.seq ?? 0;
  // Every stored row has its own sequence number, at or below the head.
  const seqs = [...(await rowsOf(pb, 'sync_sessions', member)), ...(await rowsOf(pb, 'sync_chunks', member))].map((r) => r.seq as number);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs.every((s) => s <= head)).toBe(true);
  return { commits, head };
}

/** Stored bytes of a member must equal what its rows hold (docs §4 "Quota"). */
async function expectBytesAccounted(pb: PocketBase, member: string) {
  const [m] = await rowsOf(pb, 'sync_members', member, 'id');
  const rows = [...(await rowsOf(pb, 'sync_sessions', member)), ...(await rowsOf(pb, 'sync_chunks', member))];
  expect(m!.bytes).toBe(rows.reduce((s, r) => s + (r.bytes as number), 0));
  return m!;
}

describe('background maintenance in a running sync server', () => {
  let pb: TestPocketBase;
  let server: TestServer;
  let admin: PocketBase;

  beforeAll(async () => {
    pb = await startTestPocketBase();
    server = await startSyncServer({ pb, env: { SYNC_TOMBSTONE_DAYS: String(TOMBSTONE_DAYS), SYNC_MAINTENANCE_INTERVAL_MS: '300', LOG_LEVEL: 'debug' } });
    admin = await superuser(pb);
  });
  afterAll(async () => {
    await server?.stop();
    await pb?.dispose();
  });

  type Device = ReturnType<typeof client> & { deviceId: string };
  async function member() {
    const m = newMember('maint');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    let userId = '';
    const device = async (deviceId: string): Promise<Device> => {
      const c = client(server.url);
      const r = await c.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: deviceId });
      expect(r.status).toBe(200);
      userId = r.body.user.id;
      return Object.assign(c, { deviceId });
    };
    return { m, device, id: () => userId };
  }
  async function push(d: Device, mutations: Mutation[]) {
    const r = await d.post('/api/v1/sync/push', pushBody(d.deviceId, mutations));
    expect(r.status, r.text).toBe(200);
    return PushResponseSchema.parse(r.body);
  }
  async function pullAll(d: Device, cursor: string | null) {
    const sessions = new Map<string, SessionRecord>();
    let chunks = 0;
    let reset = false;
    for (;;) {
      const r = await d.get(`/api/v1/sync/pull?${new URLSearchParams({ protocol: '1', deviceId: d.deviceId, cursor: cursor ?? '', limit: '50' })}`);
      expect(r.status, r.text).toBe(200);
      const page = PullResponseSchema.parse(r.body);
      reset ||= page.reset === true;
      for (const c of page.changes) {
        if (c.kind === 'session') sessions.set(c.record.id, c.record);
        else chunks++;
      }
      cursor = page.cursor;
      if (!page.hasMore) return { sessions, chunks, cursor, reset };
    }
  }

  it('purges the tombstone of a member who never pushes again; older cursors reset; other members untouched', async () => {
    const a = await member();
    const phone = await a.device('phone-a1');
    const tablet = await a.device('tablet-a2');
    const t = Date.now() - 3 * 3600_000;
    const keep = liveSession({ startedAt: t, deviceId: phone.deviceId, title: 'keep' });
    const gone = liveSession({ startedAt: t + 1, deviceId: phone.deviceId, title: 'gone' });
    await push(phone, [upsert(keep), upsert(gone), ...(await chunkPuts(gone.id, hourOfReadings(t, 1, 600), 120))]);
    const tabletCursor = (await pullAll(tablet, null)).cursor; // then the tablet goes offline

    const b = await member();
    const bPhone = await b.device('phone-b1');
    const theirs = liveSession({ startedAt: t, deviceId: bPhone.deviceId, title: 'theirs' });
    await push(bPhone, [upsert(theirs), ...(await chunkPuts(theirs.id, hourOfReadings(t, 2, 600), 120))]);
    const bBefore = await pullAll(bPhone, null);
    const bMemberBefore = (await rowsOf(admin, 'sync_members', b.id(), 'id'))[0]!;

    // A deletes a workout and never pushes again.
    await push(phone, [{ id: uuid(), type: 'session.delete', sessionId: gone.id, hlc: stamp(Date.now(), phone.deviceId) }]);
    const [tomb] = (await rowsOf(admin, 'sync_sessions', a.id())).filter((r) => r.deleted);
    expect(tomb).toBeDefined();
    const memberBefore = (await rowsOf(admin, 'sync_members', a.id(), 'id'))[0]!;

    // The background pass purges it once it is older than the tombstone time.
    await expect
      .poll(async () => (await rowsOf(admin, 'sync_sessions', a.id())).filter((r) => r.deleted).length, { timeout: 20_000, interval: 200 })
      .toBe(0);
    const memberAfter = await expectBytesAccounted(admin, a.id());
    expect(memberAfter.purged_seq).toBe(tomb!.seq);
    expect(memberAfter.bytes).toBe(memberBefore.bytes - tomb!.bytes);
    expect(memberAfter.epoch).toBe(memberBefore.epoch);
    await expectContiguousLog(admin, a.id());

    // The offline tablet's cursor predates the purged tombstone: reset, and the walk from the
    // beginning no longer holds the deleted session.
    const back = await pullAll(tablet, tabletCursor);
    expect(back.reset).toBe(true);
    expect([...back.sessions.keys()]).toEqual([keep.id]);
    expect(back.chunks).toBe(0);
    const fresh = await pullAll(await a.device('laptop-a3'), null);
    expect(fresh.reset).toBe(false);
    expect([...fresh.sessions.keys()]).toEqual([keep.id]);
    // The purged session is unknown now: a late edit cannot bring it back.
    const late: Mutation = { id: uuid(), type: 'session.patch', sessionId: gone.id, field: 'title', value: 'back?', hlc: stamp(Date.now(), tablet.deviceId) };
    expect((await push(tablet, [late])).results[0]).toMatchObject({ status: 'rejected', code: 'unknown_session' });

    // Member B: same sessions, chunks and bytes; no reset (only B's expired mutation ids went).
    const bAfter = await pullAll(bPhone, bBefore.cursor);
    expect(bAfter.reset).toBe(false);
    expect(bAfter.sessions.size + bAfter.chunks).toBe(0);
    const bAll = await pullAll(bPhone, null);
    expect(bAll.sessions).toEqual(bBefore.sessions);
    expect(bAll.chunks).toBe(bBefore.chunks);
    const bMemberAfter = await expectBytesAccounted(admin, b.id());
    expect([bMemberAfter.bytes, bMemberAfter.purged_seq]).toEqual([bMemberBefore.bytes, 0]);

    // Logged, without secrets.
    expect(server.logs()).toMatch(/sync maintenance: pass done/);
    for (const secret of [a.m.password, b.m.password, pb.superuser.password]) expect(server.logs()).not.toContain(secret);
  });

  it('after sync_commits is trimmed, pushes and pulls through the server keep working', async () => {
    const c = await member();
    const phone = await c.device('phone-c1');
    const s = liveSession({ startedAt: Date.now() - 3600_000, deviceId: phone.deviceId });
    await push(phone, [upsert(s)]);
    const patch = (value: string): Mutation => ({ id: uuid(), type: 'session.patch', sessionId: s.id, field: 'title', value, hlc: stamp(Date.now(), phone.deviceId) });
    for (let i = 0; i < 12; i++) await push(phone, [patch(`t${i}`)]);
    const oldCursor = (await pullAll(phone, null)).cursor;
    expect((await rowsOf(admin, 'sync_commits', c.id())).length).toBeGreaterThanOrEqual(13);

    // A pass of another process whose clock is a commit retention ahead: every row is old.
    const config = loadSyncConfig({});
    const pass = createSyncMaintenance({
      store: createPbSyncStore(admin),
      scan: createPbMaintenanceStore(admin, { maxBatchRequests: 500 }),
      config,
      now: () => Date.now() + config.commitRetentionMs + 60_000,
      logger,
    });
    const report = await pass.pass();
    expect(report.trimmed).toBeGreaterThanOrEqual(12);
    const { commits, head } = await expectContiguousLog(admin, c.id());
    // At most the head row, plus a purge commit the server's own pass may have added since.
    expect(commits.length).toBeLessThanOrEqual(2);
    // (The server's own pass may commit a purge of expired mutation ids meanwhile.)
    expect(seqOf((await push(phone, [patch('after trim')])).cursor)).toBeGreaterThan(head);
    const after = await pullAll(phone, oldCursor);
    expect((after.sessions.get(s.id) as LiveSession).title.value).toBe('after trim');
    const fresh = await pullAll(await c.device('tablet-c2'), null);
    expect((fresh.sessions.get(s.id) as LiveSession).title.value).toBe('after trim');
    await expectContiguousLog(admin, c.id());
  });
});

describe('maintenance pass and pushes in one process, against PocketBase', () => {
  let pb: TestPocketBase;
  let admin: PocketBase;

  beforeAll(async () => {
    pb = await startTestPocketBase();
    admin = await superuser(pb);
  });
  afterAll(async () => {
    await pb?.dispose();
  });

  async function newUser() {
    const m = newMember('inproc');
    return (await admin.collection('users').create({ email: m.email, password: m.password, passwordConfirm: m.password, name: m.name })).id as string;
  }

  const base = loadSyncConfig({});
  /** A push service ("a server process") with its own clock, config and store hooks. */
  function pusher(opts: { now?: () => number; config?: Partial<SyncConfig>; store?: (s: SyncStore) => SyncStore } = {}) {
    const real = createPbSyncStore(admin);
    return createSyncService({ store: opts.store ? opts.store(real) : real, config: { ...base, ...opts.config }, now: opts.now ?? Date.now });
  }
  function maintenance(opts: { now?: () => number; config?: Partial<SyncConfig>; store?: (s: SyncStore) => SyncStore } = {}) {
    const real = createPbSyncStore(admin);
    return createSyncMaintenance({
      store: opts.store ? opts.store(real) : real,
      scan: createPbMaintenanceStore(admin, { maxBatchRequests: 500 }),
      config: { ...base, tombstoneMs: DAY, ...opts.config },
      now: opts.now ?? Date.now,
      logger,
    });
  }
  // Writes "two days ago": its tombstones and mutation ids are expired for a 1-day retention.
  // Pushes racing the pass keep the default 90 days, so they leave the purge to the pass.
  const past = () => Date.now() - 2 * DAY;

  /** A live session and `deleted` tombstones written two days ago. */
  async function memberWithOldTombstones(deleted: number) {
    const id = await newUser();
    const writer = pusher({ now: past });
    const dev = 'phone-old';
    const keep = liveSession({ startedAt: past() - 3600_000, deviceId: dev, at: past() });
    const gone = Array.from({ length: deleted }, (_, i) => liveSession({ startedAt: past() - 7200_000 - i, deviceId: dev, at: past() }));
    await writer.push(id, pushBody(dev, [upsert(keep), ...gone.map(upsert)]));
    await writer.push(id, pushBody(dev, gone.map((g) => ({ id: uuid(), type: 'session.delete', sessionId: g.id, hlc: stamp(past(), dev) }) as Mutation)));
    return { id, keep, gone };
  }
  const titlePatch = (sessionId: string, deviceId: string, value: string, at = Date.now()): Mutation => ({
    id: uuid(),
    type: 'session.patch',
    sessionId,
    field: 'title',
    value,
    hlc: stamp(at, deviceId),
  });
  const applied = (r: { results: { status: string }[] }) => r.results.every((x) => x.status === 'applied');
  const mutationRows = async (member: string, ids: string[]) =>
    (await rowsOf(admin, 'sync_mutations', member)).filter((r) => ids.includes(r.mutation_id)).length;

  it('a push and a purge racing for the head: whichever commits second plans again, both land once', async () => {
    const { id, keep, gone } = await memberWithOldTombstones(2);
    const p = pusher();
    const real = createPbSyncStore(admin);

    // 1. The push commits between the purge's head read and its commit.
    const first = titlePatch(keep.id, 'phone-1', 'from push 1');
    let pushResult: Awaited<ReturnType<typeof p.push>> | null = null;
    const m1 = maintenance({
      config: { purgePerPush: 1 },
      store: (s) => ({
        ...s,
        commit: async (input) => {
          pushResult ??= await p.push(id, pushBody('phone-1', [first]));
          return s.commit(input);
        },
      }),
    });
    const purge1 = await m1.purgeMember(id);
    expect(purge1).toMatchObject({ kind: 'purged', tombstones: 1, attempts: 2 });
    expect(applied(pushResult!)).toBe(true);

    // 2. The purge commits between the push's head read and its commit.
    const second = titlePatch(keep.id, 'phone-2', 'from push 2', Date.now() + 1);
    let purge2: Awaited<ReturnType<typeof m1.purgeMember>> | null = null;
    const racingPusher = pusher({
      store: (s) => ({
        ...s,
        commit: async (input) => {
          purge2 ??= await maintenance().purgeMember(id);
          return s.commit(input);
        },
      }),
    });
    let retries = 0;
    const pushed = await racingPusher.push(id, pushBody('phone-2', [second]), () => retries++);
    expect(applied(pushed)).toBe(true);
    expect(retries).toBe(1);
    expect(purge2).toMatchObject({ kind: 'purged', tombstones: 1, attempts: 1 });

    // Each change exactly once, in one unbroken sequence; both tombstones gone, the mark raised.
    const { head } = await expectContiguousLog(admin, id);
    expect(seqOf(pushed.cursor)).toBe(head);
    expect(await mutationRows(id, [first.id, second.id])).toBe(2);
    const member = await expectBytesAccounted(admin, id);
    expect(member.purged_seq).toBeGreaterThan(0);
    const all = await p.pull(id, null, 1000);
    expect(all.changes.map((c) => (c.kind === 'session' ? c.record.id : c.kind))).toEqual([keep.id]);
    expect((all.changes[0] as { record: LiveSession }).record.title.value).toBe('from push 2');
    expect(await real.sessions(id, gone.map((g) => g.id))).toEqual(new Map());
    const replay = await p.push(id, pushBody('phone-2', [second]));
    expect(replay.results[0]!.status).toBe('duplicate');
  });

  it('concurrent pushes and passes: no lost or duplicated change, the sequence stays unbroken', async () => {
    const { id, keep } = await memberWithOldTombstones(6);
    const p = pusher();
    const m = maintenance({ config: { purgePerPush: 2 } });
    const patches = Array.from({ length: 8 }, (_, i) => titlePatch(keep.id, `dev-${i}`, `title ${i}`, Date.now() + i));
    const [pushes] = await Promise.all([
      Promise.all(patches.map((x, i) => p.push(id, pushBody(`dev-${i}`, [x])))),
      Promise.all([m.pass(), m.pass(), m.pass()]),
    ]);
    // Whatever a pass left because pushes kept winning, a later pass finishes.
    await m.pass();

    expect(pushes.every(applied)).toBe(true);
    expect(new Set(pushes.map((r) => seqOf(r.cursor))).size).toBe(patches.length);
    const { head } = await expectContiguousLog(admin, id);
    expect((await rowsOf(admin, 'sync_sessions', id)).map((r) => r.session_id)).toEqual([keep.id]);
    expect(await mutationRows(id, patches.map((x) => x.id))).toBe(patches.length);
    await expectBytesAccounted(admin, id);
    const all = await p.pull(id, null, 1000);
    expect(seqOf(all.cursor)).toBe(head);
    expect(all.changes).toHaveLength(1);
    expect((all.changes[0] as { record: LiveSession }).record.title.value).toBe('title 7');
  });

  it('trims a member with many pushes to its newest commit row; rows younger than the retention stay', async () => {
    const id = await newUser();
    const other = await newUser();
    const p = pusher();
    const s = liveSession({ startedAt: Date.now() - 3600_000, deviceId: 'phone' });
    await p.push(id, pushBody('phone', [upsert(s)]));
    await p.push(other, pushBody('phone', [upsert({ ...s, id: uuid() })]));
    let midCursor = '';
    for (let i = 0; i < 30; i++) {
      await p.push(id, pushBody('phone', [titlePatch(s.id, 'phone', `t${i}`, Date.now() + i)]));
      if (i === 14) midCursor = (await p.pull(id, null)).cursor;
    }
    expect(await rowsOf(admin, 'sync_commits', id)).toHaveLength(31);

    // Now: nothing is old enough.
    expect((await maintenance({ config: { tombstoneMs: 90 * DAY } }).pass()).trimmed).toBe(0);
    expect(await rowsOf(admin, 'sync_commits', id)).toHaveLength(31);

    // A commit retention later: every superseded row goes, the heads stay.
    const later = maintenance({ now: () => Date.now() + base.commitRetentionMs + 60_000, config: { tombstoneMs: 90 * DAY } });
    const report = await later.pass();
    expect(report).toMatchObject({ purgeCommits: 0, complete: true });
    expect(report.trimmed).toBeGreaterThanOrEqual(30);
    expect((await rowsOf(admin, 'sync_commits', id)).map((r) => [r.base, r.seq])).toEqual([[30, 31]]);
    expect((await rowsOf(admin, 'sync_commits', other)).map((r) => [r.base, r.seq])).toEqual([[0, 1]]);

    // Pushing and pulling go on: the next commit is planned on the kept head row.
    const next = await p.push(id, pushBody('phone', [titlePatch(s.id, 'phone', 'after', Date.now() + 100)]));
    expect(seqOf(next.cursor)).toBe(32);
    const fromMid = await p.pull(id, midCursor);
    expect(fromMid.reset).toBeUndefined();
    expect((fromMid.changes[0] as { record: LiveSession }).record.title.value).toBe('after');
    await expectContiguousLog(admin, id);
  });

  /**
   * A push reads the head h0, stalls; meanwhile three pushes land and a pass trims the rows
   * below the head, including the one with base h0 that was the push's compare-and-set.
   * Then the stalled push goes on. Returns what a device that pulled in the meantime sees.
   */
  async function stalledPushAcrossTrim(planMaxAgeMs: number) {
    const id = await newUser();
    const p = pusher();
    const s = liveSession({ startedAt: Date.now() - 3600_000, deviceId: 'tablet' });
    await p.push(id, pushBody('tablet', [upsert(s)]));
    const h0 = seqOf((await p.pull(id, null)).cursor);

    const clock = { t: Date.now() };
    let stalled!: () => void;
    const stall = new Promise<void>((r) => (stalled = r));
    let headRead!: () => void;
    const readHead = new Promise<void>((r) => (headRead = r));
    let stalls = 1;
    const slow = pusher({
      now: () => clock.t,
      config: { planMaxAgeMs },
      store: (st) => ({
        ...st,
        expired: async (...args) => {
          // Called after the head read, before the commit.
          if (stalls-- > 0) {
            headRead();
            await stall;
          }
          return st.expired(...args);
        },
      }),
    });
    // A notes edit: it merges with the phone's newer titles instead of losing to them.
    const stale: Mutation = { id: uuid(), type: 'session.patch', sessionId: s.id, field: 'notes', value: 'stale tablet', hlc: stamp(Date.now(), 'tablet') };
    const inFlight = slow.push(id, pushBody('tablet', [stale]));
    await readHead;

    for (let i = 0; i < 3; i++) await p.push(id, pushBody('phone', [titlePatch(s.id, 'phone', `phone ${i}`, Date.now() + i)]));
    const trimmed = await maintenance({ now: () => Date.now() + base.commitRetentionMs + 60_000, config: { tombstoneMs: 90 * DAY } }).pass();
    expect(trimmed.trimmed).toBeGreaterThanOrEqual(3);
    const rows = await rowsOf(admin, 'sync_commits', id);
    expect(rows.some((r) => r.base === h0)).toBe(false); // the stalled push's compare-and-set row is gone
    const device = await p.pull(id, null); // a device syncs at head h0 + 3

    clock.t += 31_000; // the stall lasted longer than the plan age allows (default 30 s)
    stalled();
    const result = await inFlight;
    expect(applied(result)).toBe(true);
    const seen = await p.pull(id, device.cursor);
    return { id, h0, device, result, seen };
  }

  it('a push planned before a trim and sent after it is planned again on the new head', async () => {
    const { id, h0, device, result, seen } = await stalledPushAcrossTrim(base.planMaxAgeMs);
    expect(seqOf(device.cursor)).toBe(h0 + 3);
    expect(seqOf(result.cursor)).toBe(h0 + 4);
    // The device sees the stalled push's change, merged into the newest state.
    expect(seen.changes).toHaveLength(1);
    const record = (seen.changes[0] as { record: LiveSession }).record;
    expect([record.title.value, record.notes.value]).toEqual(['phone 2', 'stale tablet']);
    await expectContiguousLog(admin, id);
  });

  it('(control) without the plan-age guard the same push would commit on the trimmed base, below the head', async () => {
    const { id, h0, result, seen } = await stalledPushAcrossTrim(Number.POSITIVE_INFINITY);
    // Applied on the old head: sequence numbers already handed out, so a device past them
    // never sees this change, and the stored title went back to the stale plan's.
    expect(seqOf(result.cursor)).toBe(h0 + 1);
    expect(seen.changes).toHaveLength(0);
    const [row] = await rowsOf(admin, 'sync_sessions', id);
    expect((row!.record as LiveSession).title.value).not.toBe('phone 2');
  });

  it('only one process runs a pass at a time (lease in PocketBase)', async () => {
    let release!: () => void;
    let calls = 0;
    const slowPass = {
      pass: () => {
        calls++;
        return new Promise<Awaited<ReturnType<ReturnType<typeof maintenance>['pass']>>>((r) =>
          (release = () => r({ purgeCommits: 0, tombstones: 0, mutations: 0, bytes: 0, busy: 0, failed: 0, trimmed: 0, complete: true })),
        );
      },
    };
    const job = (holder: string) => createMaintenanceJob({ maintenance: slowPass, leases: createLeases(admin, holder, 'sync_leases'), config: base, logger, now: Date.now });
    const [one, two] = [job('process-1'), job('process-2')];
    const running = one.runOnce();
    await expect.poll(() => calls).toBe(1);
    expect(await two.runOnce()).toBe('held');
    release();
    expect(await running).toMatchObject({ complete: true });
    const again = two.runOnce();
    await expect.poll(() => calls).toBe(2);
    release();
    expect(await again).toMatchObject({ complete: true });
    expect((await admin.collection('sync_leases').getFullList()).length).toBe(0);
  });
});
