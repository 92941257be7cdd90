import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHealthProber, type ProbeResult } from './health-prober';

/** A PocketBase double: each probe waits for the test to answer it. */
function fakePocketBase() {
  const pending: { answer(r: ProbeResult): void; signal: AbortSignal }[] = [];
  let mode: 'up' | 'down' | 'hung' | 'manual' = 'up';
  return {
    pending,
    set: (m: typeof mode) => (mode = m),
    probe: (signal: AbortSignal) =>
      new Promise<ProbeResult>((resolve) => {
        if (mode === 'up') return resolve('ok');
        if (mode === 'down') return resolve('failed');
        if (mode === 'hung') signal.addEventListener('abort', () => resolve('failed'));
        pending.push({ answer: resolve, signal });
      }),
  };
}

describe('health prober', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is up while PocketBase answers, and a slow answer does not make it down', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3, hungAfterMs: 5_000 });
    expect(await prober.up()).toBe(true);
    pb.set('manual');
    await vi.advanceTimersByTimeAsync(200);
    expect(pb.pending).toHaveLength(1);
    // 4 s without an answer: slow, not down; and no second probe piles up meanwhile.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await prober.up()).toBe(true);
    expect(pb.pending).toHaveLength(1);
    pb.set('up');
    pb.pending[0]!.answer('ok');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await prober.up()).toBe(true);
    prober.stop();
  });

  it('turns down after consecutive failures, within 2 s of PocketBase dying, and back up at the first answer', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3 });
    expect(await prober.up()).toBe(true);
    pb.set('down');
    await vi.advanceTimersByTimeAsync(400);
    expect(await prober.up()).toBe(true); // two failures: could be a blip
    await vi.advanceTimersByTimeAsync(200);
    expect(await prober.up()).toBe(false);
    pb.set('up');
    await vi.advanceTimersByTimeAsync(200);
    expect(await prober.up()).toBe(true);
    prober.stop();
  });

  it('one failure between answers is not an outage', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 3 });
    expect(await prober.up()).toBe(true);
    for (let i = 0; i < 5; i++) {
      pb.set('down');
      await vi.advanceTimersByTimeAsync(400);
      pb.set('up');
      await vi.advanceTimersByTimeAsync(200);
      expect(await prober.up()).toBe(true);
    }
    prober.stop();
  });

  it('counts a hung PocketBase as a failed probe after hungAfterMs', async () => {
    const pb = fakePocketBase();
    const prober = createHealthProber({ probe: pb.probe, intervalMs: 200, failuresToDown: 2, hungAfterMs: 1_000 });
    expect(await prober.up()).toBe(true);
    pb.set('hung');
    await vi.advanceTimersByTimeAsync(200 + 1_000);
    expect(await prober.up()).toBe(true);
    await vi.advanceTimersByTimeAsync(200 + 1_000);
    expect(await prober.up()).toBe(false);
    prober.stop();
  });

  it('reads down at the first failure before PocketBase ever answered', async () => {
    const pb = fakePocketBase();
    pb.set('down');
    const prober = createHealthProber({ probe: pb.probe, failuresToDown: 3 });
    expect(await prober.up()).toBe(false);
    prober.stop();
  });
});
