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
}

const DAY_MS = 24 * 60 * 60 * 1000;

const envSchema = z.object({
  SYNC_TOMBSTONE_DAYS: z.coerce.number().min(0).default(90),
  SYNC_QUOTA_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
});

export function loadSyncConfig(env: Record<string, string | undefined>): SyncConfig {
  const parsed = envSchema.safeParse({
    SYNC_TOMBSTONE_DAYS: env.SYNC_TOMBSTONE_DAYS || undefined,
    SYNC_QUOTA_BYTES: env.SYNC_QUOTA_BYTES || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  return {
    tombstoneMs: parsed.data.SYNC_TOMBSTONE_DAYS * DAY_MS,
    quotaBytes: parsed.data.SYNC_QUOTA_BYTES,
    commitAttempts: 12,
    maxBatchRequests: 5000,
    pullPayloadBudget: 4 * 1024 * 1024,
    purgePerPush: 100,
  };
}
