import { describe, expect, it } from 'vitest';
import { loadSyncConfig } from './config';

describe('loadSyncConfig', () => {
  it('defaults: 90-day tombstones, maintenance every 5 minutes, commits kept 24 h, plans sent within 30 s', () => {
    const c = loadSyncConfig({});
    expect(c.tombstoneMs).toBe(90 * 86_400_000);
    expect(c.maintenanceIntervalMs).toBe(300_000);
    expect(c.commitRetentionMs).toBe(86_400_000);
    expect(c.planMaxAgeMs).toBe(30_000);
  });

  it('reads the maintenance variables', () => {
    const c = loadSyncConfig({ SYNC_MAINTENANCE_INTERVAL_MS: '250', SYNC_COMMIT_RETENTION_HOURS: '0.5', SYNC_PLAN_MAX_AGE_MS: '5000' });
    expect([c.maintenanceIntervalMs, c.commitRetentionMs, c.planMaxAgeMs]).toEqual([250, 1_800_000, 5000]);
  });

  it.each([
    [{ SYNC_MAINTENANCE_INTERVAL_MS: '10' }, 'SYNC_MAINTENANCE_INTERVAL_MS'],
    [{ SYNC_MAINTENANCE_INTERVAL_MS: 'often' }, 'SYNC_MAINTENANCE_INTERVAL_MS'],
    [{ SYNC_PLAN_MAX_AGE_MS: '10' }, 'SYNC_PLAN_MAX_AGE_MS'],
    [{ SYNC_COMMIT_RETENTION_HOURS: '0' }, 'SYNC_COMMIT_RETENTION_HOURS'],
    // The retention must leave a wide margin over the plan age (fresh-commit.ts).
    [{ SYNC_COMMIT_RETENTION_HOURS: '0.1' }, 'SYNC_COMMIT_RETENTION_HOURS'],
    [{ SYNC_COMMIT_RETENTION_HOURS: '1', SYNC_PLAN_MAX_AGE_MS: '3300000' }, 'SYNC_COMMIT_RETENTION_HOURS'],
  ])('%o names %s', (env, variable) => {
    expect(() => loadSyncConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });
});
