import { describe, expect, it } from 'vitest';
import { liveBusContract } from './bus.contract';
import { createMemoryBus } from './memory-bus';

liveBusContract('memory', async () => {
  const bus = createMemoryBus({ memoTtlMs: 60_000 });
  return { bus, other: bus, dispose: () => bus.close() };
});

describe('memory bus memo', () => {
  const hr = (bpm: number, at: number, points?: number | null) => ({ bpm, kcal: null, at, ...(points === undefined ? {} : { points }) });

  it('keeps the values, not the caller objects: neither a later write nor the caller changes a recalled memo', async () => {
    const bus = createMemoryBus({ memoTtlMs: 60_000 });
    const mine = { hr: hr(120, 1, 3), seenAt: Date.now() };
    bus.remember('r', 'p', mine);
    mine.hr.bpm = 999;
    const first = (await bus.recall('r')).get('p')!;
    expect(first.hr).toEqual(hr(120, 1, 3));
    bus.remember('r', 'p', { hr: hr(130, 2, 4), seenAt: Date.now() });
    expect(first.hr).toEqual(hr(120, 1, 3));
    first.hr!.bpm = 1;
    expect((await bus.recall('r')).get('p')!.hr).toEqual(hr(130, 2, 4));
    await bus.close();
  });

  it('follows every change of shape: points or not, a reading or none', async () => {
    const bus = createMemoryBus({ memoTtlMs: 60_000 });
    const seenAt = Date.now();
    for (const next of [hr(100, 1), hr(101, 2, 5), hr(102, 3, null), hr(103, 4), null, hr(104, 5, 6)]) {
      bus.remember('r', 'p', { hr: next, seenAt });
      expect((await bus.recall('r')).get('p')).toEqual({ hr: next, seenAt });
    }
    await bus.close();
  });

  it('drops the memos of a room nobody recalls once they are older than memoTtlMs', async () => {
    const early = 1_000_000;
    const late = early + 1_001;
    let t = early;
    const bus = createMemoryBus({ memoTtlMs: 1_000, now: () => t });
    bus.remember('quiet', 'p', { hr: hr(100, t), seenAt: t });
    t = late;
    // recall drops expired memos itself: it reads at `early` (nothing expired yet), so only the
    // sweep (every memoTtlMs of real time, at `late`) can have dropped the memo.
    const recalledEarly = async () => {
      t = early;
      const n = (await bus.recall('quiet')).size;
      t = late;
      return n;
    };
    expect(await recalledEarly()).toBe(1);
    await expect.poll(recalledEarly, { timeout: 5_000 }).toBe(0);
    await bus.close();
  });
});
