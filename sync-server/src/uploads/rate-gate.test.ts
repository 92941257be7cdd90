import { describe, expect, it } from 'vitest';
import { uploadView } from '../strava/uploads-api';
import { createMemoryUploadStore } from './memory-store';
import { blockFor, createRateGate, nextQuarter, nextUtcMidnight, retryAfterBlock } from './rate-gate';

const T = Date.UTC(2026, 8, 1, 7, 3, 20);
const rate = (usage: [number, number], read: [number, number] = [0, 0]) => ({ limit: [200, 2000] as [number, number], usage, readLimit: [100, 1000] as [number, number], readUsage: read });

describe("Strava's windows", () => {
  it('15-minute windows end at :00/:15/:30/:45, the day at midnight UTC', () => {
    expect(new Date(nextQuarter(T)).toISOString()).toBe('2026-09-01T07:15:00.000Z');
    expect(new Date(nextUtcMidnight(T)).toISOString()).toBe('2026-09-02T00:00:00.000Z');
  });

  it('a full window, a full day, a full read budget or a 429 stop until the window they concern resets', () => {
    expect(blockFor(rate([199, 500]), T, false)).toBeNull();
    expect(blockFor(rate([200, 500]), T, false)).toEqual({ until: nextQuarter(T), reason: 'window_full' });
    expect(blockFor(rate([20, 2000]), T, false)).toEqual({ until: nextUtcMidnight(T), reason: 'daily_limit' });
    expect(blockFor(rate([20, 50], [100, 100]), T, false)).toEqual({ until: nextQuarter(T), reason: 'window_full' });
    expect(blockFor({ limit: null, usage: null, readLimit: null, readUsage: null }, T, true)).toEqual({ until: nextQuarter(T), reason: '429' });
    expect(blockFor(rate([201, 2001]), T, true)).toEqual({ until: nextUtcMidnight(T), reason: '429_day' });
  });

  it('the gate writes one back-off per window, and another process reads it from the store', async () => {
    const store = createMemoryUploadStore();
    const a = createRateGate(store, () => T);
    const b = createRateGate(store, () => T);
    expect(await b.waitUntil()).toBeNull();
    expect(await a.record(rate([200, 300]), false)).toBe(true);
    expect(await a.record(rate([201, 301]), true)).toBe(true);
    expect((await b.waitUntil())?.until).toBe(nextQuarter(T));
    expect(await store.rateBlock(T)).toMatchObject({ until: nextQuarter(T), reason: 'window_full' });
  });
});

describe("Strava's upload answers", () => {
  it('reads ready, processing and duplicate answers', () => {
    expect(uploadView({ id: 5, id_str: '5', error: null, status: 'Your activity is ready.', activity_id: 77 })).toMatchObject({ uploadId: '5', activityId: '77', duplicateOf: null });
    expect(uploadView({ id: 6, error: null, status: 'Your activity is still being processed.', activity_id: null })).toMatchObject({ activityId: null, error: null });
    expect(uploadView({ id: 7, error: 'hrm-x.fit duplicate of activity 1234', status: 'There was an error processing your activity.', activity_id: null })).toMatchObject({ duplicateOf: '1234' });
    expect(uploadView({ id: 8, error: "file.fit duplicate of <a href='/activities/99' target='_blank'>99</a>", activity_id: null })).toMatchObject({ duplicateOf: '99' });
    expect(uploadView({ nothing: true })).toBeNull();
  });
});

describe('a Retry-After provider (intervals.icu)', () => {
  const none = { limit: null, usage: null, readLimit: null, readUsage: null };
  it('only a 429 stops, for its Retry-After (10 s without one, at least 1 s)', async () => {
    expect(retryAfterBlock({ ...none, retryAfterSec: 30 }, T, false)).toBeNull();
    expect(retryAfterBlock({ ...none, retryAfterSec: 30 }, T, true)).toEqual({ until: T + 30_000, reason: '429' });
    expect(retryAfterBlock(none, T, true)).toEqual({ until: T + 10_000, reason: '429' });
    expect(retryAfterBlock({ ...none, retryAfterSec: 0 }, T, true)).toEqual({ until: T + 1_000, reason: '429' });
    const store = createMemoryUploadStore();
    const gate = createRateGate(store, () => T, retryAfterBlock);
    expect(await gate.record({ ...none, retryAfterSec: 3 }, true)).toBe(true);
    expect(await createRateGate(store, () => T + 2_999, retryAfterBlock).waitUntil()).toMatchObject({ until: T + 3_000 });
    expect(await createRateGate(store, () => T + 3_000, retryAfterBlock).waitUntil()).toBeNull();
  });
});
