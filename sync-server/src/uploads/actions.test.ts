import { describe, expect, it } from 'vitest';
import { createUploadActions, requeue } from './actions';
import { createMemoryUploadStore } from './memory-store';
import type { RateBlock, UploadJob, UploadStore } from './store';
import type { LoadedSession } from './synced-sessions';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const READY = { kind: 'ready' } as unknown as LoadedSession;

// The member's actions over the in-memory queue, a settable clock, rate block and synced workouts.
function harness(opts: { store?: UploadStore } = {}) {
  let t = T0;
  let block: RateBlock | null = null;
  let kicks = 0;
  const loaded = new Map<string, LoadedSession>();
  const store = opts.store ?? createMemoryUploadStore();
  const actions = createUploadActions({
    store,
    sessions: { load: async (_m, s) => loaded.get(s) ?? { kind: 'gone' }, head: async () => 42 },
    rate: { waitUntil: async () => block },
    now: () => t,
    activityUrl: (id) => `https://provider.test/a/${id}`,
    kick: () => void (kicks += 1),
  });
  return {
    store,
    actions,
    loaded,
    advance: (ms: number) => void (t += ms),
    now: () => t,
    blockUntil: (until: number) => void (block = { at: t, until, reason: '429', usage: '' }),
    kicks: () => kicks,
  };
}

/** Ends a job as a worker would (by compare-and-set). */
async function endJob(store: UploadStore, job: UploadJob, update: Partial<UploadJob>) {
  const next = await store.cas(job, { leaseUntil: 0, ...update });
  if (!next) throw new Error('test setup lost the compare-and-set');
  return next;
}

describe('upload by hand', () => {
  it('answers not_found for a workout that is gone and not_finished for one still syncing, without a job or a kick', async () => {
    const h = harness();
    h.loaded.set('s-syncing', { kind: 'incomplete' });
    expect(await h.actions.uploadByHand('m1', 's-gone')).toBe('not_found');
    expect(await h.actions.uploadByHand('m1', 's-syncing')).toBe('not_finished');
    expect(await h.store.ofMember('m1')).toEqual([]);
    expect(h.kicks()).toBe(0);
  });

  it('queues one job per workout however often the member clicks, and wakes the loop each time', async () => {
    const h = harness();
    h.loaded.set('s1', READY);
    const first = await h.actions.uploadByHand('m1', 's1');
    h.advance(5_000);
    const second = await h.actions.uploadByHand('m1', 's1');
    expect(first).toEqual({ sessionId: 's1', state: 'queued', attempts: 0, activityId: null, activityUrl: null, reason: null, error: null, waitingUntil: null, updatedAt: iso(T0) });
    expect(second).toEqual(first);
    expect(await h.store.ofMember('m1')).toHaveLength(1);
    expect(h.kicks()).toBe(2);
  });

  it('sends a failed upload again as new, and keeps a done one as it is', async () => {
    const h = harness();
    h.loaded.set('s1', READY);
    h.loaded.set('s2', READY);
    const { job: j1 } = await h.store.enqueue('m1', 's1', T0);
    await endJob(h.store, j1, { state: 'failed', attempts: 8, reason: 'unavailable', error: 'no answer', finishedAt: T0 + 1 });
    const { job: j2 } = await h.store.enqueue('m1', 's2', T0);
    await endJob(h.store, j2, { state: 'done', attempts: 1, activityId: '77', finishedAt: T0 + 2 });
    h.advance(60_000);
    expect(await h.actions.uploadByHand('m1', 's1')).toMatchObject({ state: 'queued', attempts: 0, reason: null, error: null });
    expect(await h.store.get(j1.id)).toMatchObject({ state: 'queued', nextRunAt: h.now(), finishedAt: 0 });
    expect(await h.actions.uploadByHand('m1', 's2')).toMatchObject({ state: 'done', attempts: 1, activityId: '77', activityUrl: 'https://provider.test/a/77', updatedAt: iso(T0 + 2) });
  });

  it("shows the provider's rate-limit wait on a queued job only", async () => {
    const h = harness();
    h.loaded.set('s1', READY);
    h.blockUntil(T0 + 900_000);
    expect(await h.actions.uploadByHand('m1', 's1')).toMatchObject({ state: 'queued', waitingUntil: iso(T0 + 900_000) });
    const job = (await h.store.ofSession('m1', 's1'))!;
    await endJob(h.store, job, { state: 'done', activityId: '9', finishedAt: T0 });
    expect(await h.actions.uploadByHand('m1', 's1')).toMatchObject({ state: 'done', waitingUntil: null });
  });
});

describe('retry', () => {
  it('answers null when the workout has no upload', async () => {
    const h = harness();
    expect(await h.actions.retry('m1', 'nothing')).toBeNull();
  });

  it('queues a failed or cancelled job again and answers any other job as it is', async () => {
    const h = harness();
    const { job: failed } = await h.store.enqueue('m1', 's1', T0);
    await endJob(h.store, failed, { state: 'failed', reason: 'rejected', error: 'bad file', finishedAt: T0 });
    const { job: cancelled } = await h.store.enqueue('m1', 's2', T0);
    await endJob(h.store, cancelled, { state: 'cancelled', reason: 'deleted', finishedAt: T0 });
    const { job: running } = await h.store.enqueue('m1', 's3', T0);
    const processing = await endJob(h.store, running, { state: 'processing', attempts: 1, uploadId: 'u1' });
    expect(await h.actions.retry('m1', 's1')).toMatchObject({ state: 'queued', reason: null, error: null });
    expect(await h.actions.retry('m1', 's2')).toMatchObject({ state: 'queued', reason: null });
    expect(await h.actions.retry('m1', 's3')).toMatchObject({ state: 'processing', attempts: 1 });
    expect(await h.store.get(running.id)).toEqual(processing);
    expect(h.kicks()).toBe(3);
  });

  it('answers the job as another writer left it when that writer won the compare-and-set', async () => {
    const inner = createMemoryUploadStore();
    // A worker's write lands between our read and our compare-and-set.
    const racing: UploadStore = {
      ...inner,
      async cas(job, update) {
        if (update.state === 'queued') await inner.cas(job, { state: 'done', activityId: 'w1', reason: '', error: '', finishedAt: T0 + 5 });
        return inner.cas(job, update);
      },
    };
    const h = harness({ store: racing });
    const { job } = await inner.enqueue('m1', 's1', T0);
    await endJob(inner, job, { state: 'failed', reason: 'unavailable', finishedAt: T0 });
    expect(await h.actions.retry('m1', 's1')).toMatchObject({ state: 'done', activityId: 'w1', activityUrl: 'https://provider.test/a/w1' });
  });
});

describe('the uploads for history', () => {
  it('lists the member’s uploads newest first, only the workouts asked for, with the wait on top', async () => {
    const h = harness();
    await h.store.enqueue('m1', 's1', T0);
    await h.store.enqueue('m1', 's2', T0 + 1_000);
    await h.store.enqueue('m2', 's3', T0 + 2_000);
    expect(await h.actions.list('m1')).toEqual({
      uploads: [expect.objectContaining({ sessionId: 's2' }), expect.objectContaining({ sessionId: 's1' })],
      waitingUntil: null,
    });
    h.blockUntil(T0 + 60_000);
    const some = await h.actions.list('m1', ['s1']);
    expect(some.uploads.map((u) => [u.sessionId, u.waitingUntil])).toEqual([['s1', iso(T0 + 60_000)]]);
    expect(some.waitingUntil).toBe(iso(T0 + 60_000));
    expect(h.kicks()).toBe(0);
  });
});

describe('after a (re)connect', () => {
  it('requeues only jobs that failed for want of a connection, in this queue and the others given, then wakes the loop once', async () => {
    const also = createMemoryUploadStore();
    const h = harness();
    const fail = async (s: UploadStore, session: string, reason: string) => endJob(s, (await s.enqueue('m1', session, T0)).job, { state: 'failed', reason, finishedAt: T0 });
    await fail(h.store, 'a', 'needs_reconnect');
    await fail(h.store, 'b', 'not_connected');
    await fail(h.store, 'c', 'rejected');
    await fail(also, 'd', 'needs_reconnect');
    await fail(also, 'e', 'unavailable');
    await h.actions.afterConnect('m1', [also]);
    const states = async (s: UploadStore) => Object.fromEntries((await s.ofMember('m1')).map((j) => [j.sessionId, j.state]));
    expect(await states(h.store)).toEqual({ a: 'queued', b: 'queued', c: 'failed' });
    expect(await states(also)).toEqual({ d: 'queued', e: 'failed' });
    expect(h.kicks()).toBe(1);
  });
});

describe('the member’s choice', () => {
  it('"every workout" starts at the sync log’s head; off forgets it', async () => {
    const h = harness();
    await h.actions.chooseMode('m1', 'auto');
    expect(await h.store.mode('m1')).toBe('auto');
    expect(await h.store.autoMembers()).toEqual(new Map([['m1', 42]]));
    await h.actions.chooseMode('m1', 'off');
    expect(await h.store.autoMembers()).toEqual(new Map());
  });
});

describe('requeue', () => {
  it('clears what the last attempt left and loses to a newer version', async () => {
    const store = createMemoryUploadStore();
    const { job } = await store.enqueue('m1', 's1', T0);
    const failed = await endJob(store, job, { state: 'failed', attempts: 3, reason: 'rejected', error: 'x', leaseUntil: T0 + 9, finishedAt: T0 + 1 });
    expect(await requeue(store, job, T0 + 10)).toBeNull();
    expect(await requeue(store, failed, T0 + 10)).toMatchObject({ state: 'queued', attempts: 0, nextRunAt: T0 + 10, reason: '', error: '', leaseUntil: 0, finishedAt: 0 });
  });
});
