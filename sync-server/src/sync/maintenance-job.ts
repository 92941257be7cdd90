/**
 * Runs the sync maintenance pass (maintenance.ts) in the background of every server process,
 * every SYNC_MAINTENANCE_INTERVAL_MS with jitter, each time under a lease in PocketBase
 * (sync_leases, the lease module of the Spotify jobs) so that one process at a time runs a
 * pass. The lease lasts twice the pass's time budget, so a process that dies mid-pass frees
 * it soon. If a pass overran its lease anyway, two passes would just race like two pushes:
 * correctness never depends on the lease (maintenance.ts).
 */
import { randomBytes } from 'node:crypto';
import type PocketBase from 'pocketbase';
import type { Logger } from 'pino';
import { createLeases, isLease, type Lease } from '../spotify/lease';
import type { SyncConfig } from './config';
import { createSyncMaintenance, type PassReport, type SyncMaintenance } from './maintenance';
import { createPbMaintenanceStore } from './pb-maintenance-store';
import { createPbSyncStore } from './pb-sync-store';

export const MAINTENANCE_LEASE_KEY = 'sync-maintenance';

export interface MaintenanceJobDeps {
  maintenance: Pick<SyncMaintenance, 'pass'>;
  leases: { tryAcquire(key: string, ttlMs: number, now: number): Promise<Lease | { heldUntil: number }> };
  config: Pick<SyncConfig, 'maintenanceIntervalMs' | 'maintenancePassBudgetMs'>;
  logger: Logger;
  now: () => number;
  random?: () => number;
}

export function createMaintenanceJob(deps: MaintenanceJobDeps) {
  const { maintenance, leases, config, logger, now } = deps;
  const random = deps.random ?? Math.random;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;

  /** One pass if this process gets the lease; 'held' when another process is running one. */
  async function runOnce(): Promise<PassReport | 'held'> {
    const lease = await leases.tryAcquire(MAINTENANCE_LEASE_KEY, config.maintenancePassBudgetMs * 2, now());
    if (!isLease(lease)) return 'held';
    try {
      const report = await maintenance.pass({ shouldStop: () => stopped });
      const worked = report.purgeCommits + report.trimmed + report.busy + report.failed > 0;
      // Counts only: member ids appear in the per-member lines at debug level.
      logger[worked ? 'info' : 'debug']({ ...report }, 'sync maintenance: pass done');
      return report;
    } finally {
      await lease.release();
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = runOnce()
          .catch((e: unknown) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'sync maintenance: pass failed'))
          .finally(() => {
            running = null;
            schedule();
          });
      },
      Math.floor(config.maintenanceIntervalMs * (0.75 + random() * 0.5)),
    );
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (!timer && !running && !stopped) schedule();
    },
    /** No new pass starts; a running one stops at its next step and is awaited. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type MaintenanceJob = ReturnType<typeof createMaintenanceJob>;

/** The job wired to PocketBase, started (main.ts). */
export function startSyncMaintenance(deps: { pb: PocketBase; config: SyncConfig; logger: Logger; now?: () => number }): MaintenanceJob {
  const { pb, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const maintenance = createSyncMaintenance({
    store: createPbSyncStore(pb),
    scan: createPbMaintenanceStore(pb, { maxBatchRequests: config.maxBatchRequests }),
    config,
    now,
    logger,
  });
  const holder = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const job = createMaintenanceJob({ maintenance, leases: createLeases(pb, holder, 'sync_leases'), config, logger, now });
  job.start();
  return job;
}
