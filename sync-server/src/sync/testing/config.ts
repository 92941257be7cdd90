import type { SyncConfig } from '../config';

/** Sync settings for tests: the production defaults' shape, small where a test needs it. */
export function testSyncConfig(over: Partial<SyncConfig> = {}): SyncConfig {
  return {
    tombstoneMs: 60_000,
    quotaBytes: 1e9,
    commitAttempts: 1000,
    maxBatchRequests: 5000,
    pullPayloadBudget: 4 * 1024 * 1024,
    purgePerPush: 100,
    planMaxAgeMs: 60_000,
    commitRetentionMs: 24 * 3600_000,
    maintenanceIntervalMs: 60_000,
    maintenancePassBudgetMs: 60_000,
    maintenancePurgesPerPass: 200,
    maintenanceTrimPerPass: 5000,
    ...over,
  };
}
