import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PassReport } from './maintenance';
import { createMaintenanceJob, MAINTENANCE_LEASE_KEY } from './maintenance-job';

const logger = pino({ level: 'silent' });
const config = { maintenanceIntervalMs: 1000, maintenancePassBudgetMs: 60_000 };
const report: PassReport = { purgeCommits: 0, tombstones: 0, mutations: 0, bytes: 0, busy: 0, failed: 0, trimmed: 0, complete: true };

/** One lease for all "processes", as the unique key in sync_leases gives. */
function leaseTable() {
  let holder: string | null = null;
  const asked: { key: string; ttlMs: number }[] = [];
  return {
    asked,
    held: () => holder,
    for(name: string) {
      return {
        async tryAcquire(key: string, ttlMs: number) {
          asked.push({ key, ttlMs });
          if (holder) return { heldUntil: 1 };
          holder = name;
          return { release: async () => void (holder = null) };
        },
      };
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('sync maintenance job', () => {
  it('runs a pass only under the lease, and releases it afterwards, even when the pass fails', async () => {
    const leases = leaseTable();
    let release!: () => void;
    const pass = vi.fn(() => new Promise<PassReport>((r) => (release = () => r(report))));
    const a = createMaintenanceJob({ maintenance: { pass }, leases: leases.for('a'), config, logger, now: () => 0 });
    const b = createMaintenanceJob({ maintenance: { pass }, leases: leases.for('b'), config, logger, now: () => 0 });
    const running = a.runOnce();
    await vi.waitFor(() => expect(pass).toHaveBeenCalledTimes(1));
    expect(await b.runOnce()).toBe('held');
    expect(pass).toHaveBeenCalledTimes(1);
    release();
    expect(await running).toEqual(report);
    expect(leases.held()).toBeNull();
    expect(leases.asked[0]).toEqual({ key: MAINTENANCE_LEASE_KEY, ttlMs: 120_000 });

    const failing = createMaintenanceJob({ maintenance: { pass: async () => Promise.reject(new Error('down')) }, leases: leases.for('c'), config, logger, now: () => 0 });
    await expect(failing.runOnce()).rejects.toThrow('down');
    expect(leases.held()).toBeNull();
  });

  it('runs every interval with jitter, and stop() waits for the running pass and asks it to stop', async () => {
    vi.useFakeTimers();
    const leases = leaseTable();
    let stopAsked: (() => boolean) | undefined;
    let finish!: () => void;
    const pass = vi.fn(async (opts?: { shouldStop?: () => boolean }) => {
      stopAsked = opts?.shouldStop;
      if (pass.mock.calls.length === 2) await new Promise<void>((r) => (finish = r));
      return report;
    });
    const job = createMaintenanceJob({ maintenance: { pass }, leases: leases.for('a'), config, logger, now: () => 0, random: () => 0 });
    job.start();
    await vi.advanceTimersByTimeAsync(749);
    expect(pass).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pass).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(750);
    expect(pass).toHaveBeenCalledTimes(2);

    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    expect(stopAsked?.()).toBe(true);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pass).toHaveBeenCalledTimes(2);
  });
});
