import { z } from 'zod';

/**
 * Sync settings, read from the environment when the routes are built (listed in the README's
 * configuration table). A bad value stops start-up, as in config.ts.
 */
export interface SyncConfig {
  /** How long tombstones (and applied mutation ids) are kept before they are purged. */
  tombstoneMs: number;
  /** Storage per member: chunk payload bytes plus session record JSON bytes. */
  quotaBytes: number;
  /** Attempts of one push when another process commits for the same member first. */
  commitAttempts: number;
  /** Requests in one PocketBase batch (settings.batch.maxRequests in pb_migrations). */
  maxBatchRequests: number;
  /** Soft cap on the payload characters of one pull page (at least one change is returned). */
  pullPayloadBudget: number;
  /** Rows purged per push (tombstones, then old mutation ids), to bound one batch. */
  purgePerPush: number;
  /**
   * A commit is only sent if the head it was planned on was read at most this long ago;
   * otherwise it counts as a lost race and is planned again. With commitRetentionMs this is
   * what makes trimming sync_commits safe (maintenance-plan.ts, docs/sync-protocol.md §7).
   */
  planMaxAgeMs: number;
  /** Superseded sync_commits rows older than this are trimmed by the maintenance pass. */
  commitRetentionMs: number;
  /** How often each server process tries to run the maintenance pass (under a lease). */
  maintenanceIntervalMs: number;
  /** A pass starts no new work after this long; its lease lasts twice as long. */
  maintenancePassBudgetMs: number;
  /** Purge commits (one per member and round) one pass makes at most. */
  maintenancePurgesPerPass: number;
  /** sync_commits rows one pass deletes at most. */
  maintenanceTrimPerPass: number;
}

/**
 * How much longer than planMaxAgeMs a commit row must be kept at least (fresh-commit.ts): a
 * row's `created` stamp may precede its commit by up to a batch's run time, a batch checked
 * just inside planMaxAgeMs may still be on its way (PocketBase's batch timeout is 30 s,
 * pb_migrations/1763900100_sync.js), and the server clocks may disagree a little.
 */
export const COMMIT_RETENTION_MARGIN_MS = 10 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const envSchema = z.object({
  SYNC_TOMBSTONE_DAYS: z.coerce.number().min(0).default(90),
  SYNC_QUOTA_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  SYNC_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(100).default(5 * 60 * 1000),
  SYNC_COMMIT_RETENTION_HOURS: z.coerce.number().positive().default(24),
  SYNC_PLAN_MAX_AGE_MS: z.coerce.number().int().min(1000).default(30_000),
});

export function loadSyncConfig(env: Record<string, string | undefined>): SyncConfig {
  const parsed = envSchema.safeParse({
    SYNC_TOMBSTONE_DAYS: env.SYNC_TOMBSTONE_DAYS || undefined,
    SYNC_QUOTA_BYTES: env.SYNC_QUOTA_BYTES || undefined,
    SYNC_MAINTENANCE_INTERVAL_MS: env.SYNC_MAINTENANCE_INTERVAL_MS || undefined,
    SYNC_COMMIT_RETENTION_HOURS: env.SYNC_COMMIT_RETENTION_HOURS || undefined,
    SYNC_PLAN_MAX_AGE_MS: env.SYNC_PLAN_MAX_AGE_MS || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const commitRetentionMs = parsed.data.SYNC_COMMIT_RETENTION_HOURS * HOUR_MS;
  const planMaxAgeMs = parsed.data.SYNC_PLAN_MAX_AGE_MS;
  if (commitRetentionMs < planMaxAgeMs + COMMIT_RETENTION_MARGIN_MS) {
    throw new Error(`SYNC_COMMIT_RETENTION_HOURS: must exceed SYNC_PLAN_MAX_AGE_MS by at least ${COMMIT_RETENTION_MARGIN_MS / 60_000} minutes`);
  }
  return {
    tombstoneMs: parsed.data.SYNC_TOMBSTONE_DAYS * DAY_MS,
    quotaBytes: parsed.data.SYNC_QUOTA_BYTES,
    commitAttempts: 12,
    maxBatchRequests: 5000,
    pullPayloadBudget: 4 * 1024 * 1024,
    purgePerPush: 100,
    planMaxAgeMs,
    commitRetentionMs,
    maintenanceIntervalMs: parsed.data.SYNC_MAINTENANCE_INTERVAL_MS,
    maintenancePassBudgetMs: 60_000,
    maintenancePurgesPerPass: 200,
    maintenanceTrimPerPass: 5000,
  };
}
