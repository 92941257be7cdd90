import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AccessResult } from '../grants/engine';
import { createMemoryLeaseStore } from '../grants/memory-lease-store';
import type { Timers } from './background-loop';
import { createMemoryUploadStore } from './memory-store';
import { NO_RATE, type UploadInput, type UploadsApi } from './provider';
import { createProviderQueue } from './provider-queue';
import { createRateGate } from './rate-gate';
import type { UploadStore } from './store';
import { oneReadyWorkout } from './testing';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

// A provider that answers every upload with its activity at once (as intervals.icu does).
function instantProvider() {
  const sent: UploadInput[] = [];
  const api: UploadsApi = {
    async upload(_token, input) {
      sent.push(input);
      return { kind: 'ok', value: { uploadId: `u${sent.length}`, status: '', error: null, activityId: `a${sent.length}`, duplicateOf: null }, rate: NO_RATE };
    },
    getUpload: async () => ({ kind: 'not_found', rate: NO_RATE }),
    activities: async () => ({ kind: 'ok', value: [], rate: NO_RATE }),
  };
  return { api, sent };
}

// Timers that never fire: passes run only when the test kicks the loop.
function heldTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    set: (fn) => (pending.set(++next, fn), next),
    clear: (id) => void pending.delete(id as number),
  };
  return { timers, count: () => pending.size };
}

function harness(opts: { random?: number; store?: UploadStore; order?: string[] } = {}) {
  const order = opts.order ?? [];
  const { sessions, sessionId } = oneReadyWorkout(T0);

  const store = opts.store ?? createMemoryUploadStore();
  const provider = instantProvider();
  const timers = heldTimers();
  const now = () => T0;
  let passDone: () => void = () => {};
  const queue = createProviderQueue({
    provider: { name: 'acme', label: 'Acme', trainer: true },
    stores: { uploads: store, sessions, leases: createMemoryLeaseStore() },
    // Only the token is read by the worker.
    grants: { accessToken: async () => ({ ok: true, token: 'tok', version: 1 }) as unknown as AccessResult },
    api: provider.api,
    rate: createRateGate(store, now),
    logger: pino({ level: 'silent' }),
    now,
    sleep: async () => {},
    random: () => opts.random ?? 0.5,
    holder: 'p1',
    options: { pollMs: 1_000 },
    intervalMs: 30_000,
    activityUrl: (id) => `https://acme.test/activities/${id}`,
    timers: timers.timers,
    async alsoEachPass() {
      order.push('also');
    },
    async housekeeping() {
      order.push('housekeeping');
    },
  });
  // The loop's pass ends when it sets its next timer: resolve then.
  const origSet = timers.timers.set;
  timers.timers.set = (fn, ms) => {
    const id = origSet(fn, ms);
    passDone();
    return id;
  };
  const passEnded = () => new Promise<void>((r) => (passDone = r));
  return { queue, store, provider, timers, passEnded, sessionId, order };
}

describe('a provider queue', () => {
  it("a member's click wakes the loop, whose pass uploads the workout; the history links the provider's activity", async () => {
    const h = harness();
    const running = h.queue.start();
    const ended = h.passEnded();
    const view = await h.queue.member.uploadByHand('m1', h.sessionId);
    expect(view).toMatchObject({ state: 'queued' });
    await ended;
    expect(h.provider.sent).toHaveLength(1);
    expect(h.provider.sent[0]).toMatchObject({ trainer: true, externalId: expect.any(String) });
    expect(await h.queue.member.uploads('m1')).toMatchObject({ uploads: [{ state: 'done', activityId: 'a1', activityUrl: 'https://acme.test/activities/a1' }], waitingUntil: null });
    await running.stop();
    expect(h.timers.count()).toBe(0);
  });

  it("runs the provider's own work after the uploads, and its housekeeping before the old rate blocks go, one pass in twenty", async () => {
    const order: string[] = [];
    const inner = createMemoryUploadStore();
    const store: UploadStore = {
      ...inner,
      async due(now, limit) {
        order.push('uploads');
        return inner.due(now, limit);
      },
      async purgeRateBlocks(before) {
        order.push(`purge<${before}`);
        return inner.purgeRateBlocks(before);
      },
    };
    const rare = harness({ random: 0.5, store, order });
    const running = rare.queue.start();
    let ended = rare.passEnded();
    rare.queue.kick();
    await ended;
    expect(order).toEqual(['uploads', 'also']);
    await running.stop();

    order.length = 0;
    const lucky = harness({ random: 0.01, store, order });
    const again = lucky.queue.start();
    ended = lucky.passEnded();
    lucky.queue.kick();
    await ended;
    expect(order).toEqual(['uploads', 'also', 'housekeeping', `purge<${T0 - 86_400_000}`]);
    await again.stop();
  });
});
