/**
 * The sync maintenance pass (docs/sync-protocol.md §5 "Purge", §7 "Trimming sync_commits").
 *
 * 1. Purge. Pushes purge their member's expired tombstones and mutation ids as they go, but a
 *    member who deletes a workout and never pushes again would keep the tombstone forever. The
 *    pass finds members with expired rows across all members (oldest first, bounded) and
 *    purges up to purgePerPush rows of each through store.commit with no writes: the same
 *    compare-and-set on the head as a push, the same purged_seq raise (so older cursors get a
 *    reset), the same byte accounting. A lost race plans again a few times; after that the
 *    member is left for the next pass. The purge commit moves the head by one (NO_WRITES).
 * 2. Trim. sync_commits holds one row per commit; only a member's newest row is needed for
 *    head() and the compare-and-set. Superseded rows older than the commit retention are
 *    deleted; fresh-commit.ts explains why no process can still commit on their base.
 *
 * Correctness never depends on running the pass alone: every purge is a compare-and-set
 * commit and trimming only deletes rows nobody can use. The lease (maintenance-job.ts) only
 * saves duplicate work. Clock, sleep, randomness and IO are parameters.
 */
import type { Logger } from 'pino';
import { backoffDelay, type BackoffPolicy } from '../../../core/retry';
import type { SyncConfig } from './config';
import { commitIfFresh } from './fresh-commit';
import { isEmptyPurge, mayContinue, membersToVisit, NO_WRITES, trimCutoff } from './maintenance-plan';
import type { MaintenanceStore } from './maintenance-store';
import type { SyncStore } from './store';

export interface MaintenanceDeps {
  store: Pick<SyncStore, 'head' | 'member' | 'expired' | 'commit'>;
  scan: MaintenanceStore;
  config: SyncConfig;
  now: () => number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type PurgeOutcome =
  | { readonly kind: 'nothing' }
  | {
      readonly kind: 'purged';
      readonly tombstones: number;
      readonly mutations: number;
      readonly bytes: number;
      readonly head: number;
      readonly purgedSeq: number;
      /** Commit attempts it took (more than one: it lost a race to a push). */
      readonly attempts: number;
    }
  | { readonly kind: 'busy'; readonly detail: string };

export interface PassReport {
  purgeCommits: number;
  tombstones: number;
  mutations: number;
  bytes: number;
  /** Members left for the next pass because pushes kept winning the race for their head. */
  busy: number;
  /** Members whose purge failed (logged). */
  failed: number;
  trimmed: number;
  /** False when the pass stopped on its budget, its limits or stop(), with work possibly left. */
  complete: boolean;
}

/** Commit attempts of one member's purge; pushes have priority, the next pass tries again. */
export const PURGE_ATTEMPTS = 4;
/** Between purge attempts that lost the head to a push. */
const PURGE_RETRY: BackoffPolicy = { baseMs: 10, capMs: 200, jitter: 'equal' };
/** Rows read per query across members (expired owners, superseded commits). */
const SCAN_PAGE = 200;
const TRIM_PAGE = 500;

export function createSyncMaintenance(deps: MaintenanceDeps) {
  const { store, scan, config, logger } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;

  /** Purges up to purgePerPush expired tombstones and mutation ids of one member. */
  async function purgeMember(memberId: string): Promise<PurgeOutcome> {
    let detail = '';
    for (let attempt = 0; attempt < PURGE_ATTEMPTS; attempt++) {
      // The order of a push (service.ts): time, then the head, then everything else.
      const now = deps.now();
      const base = await store.head(memberId);
      const member = await store.member(memberId);
      const purge = await store.expired(memberId, now - config.tombstoneMs, config.purgePerPush);
      if (isEmptyPurge(purge)) return { kind: 'nothing' };
      const outcome = await commitIfFresh(store, { memberId, base, member, writes: NO_WRITES, purge, now }, { now: deps.now, maxAgeMs: config.planMaxAgeMs });
      if (outcome.ok) {
        return {
          kind: 'purged',
          tombstones: purge.tombstones.length,
          mutations: purge.mutations.length,
          bytes: purge.tombstones.reduce((sum, t) => sum + t.bytes, 0),
          head: outcome.head,
          purgedSeq: outcome.purgedSeq,
          attempts: attempt + 1,
        };
      }
      detail = outcome.detail;
      await sleep(backoffDelay(PURGE_RETRY, attempt + 1, 0, random));
    }
    return { kind: 'busy', detail };
  }

  /** One pass: purge, then trim. `shouldStop` is asked between steps (shutdown). */
  async function pass(opts: { shouldStop?: () => boolean } = {}): Promise<PassReport> {
    const startedAt = deps.now();
    const go = () => mayContinue(startedAt, deps.now(), config.maintenancePassBudgetMs, opts.shouldStop?.() ?? false);
    const report: PassReport = { purgeCommits: 0, tombstones: 0, mutations: 0, bytes: 0, busy: 0, failed: 0, trimmed: 0, complete: false };
    const purgeDone = await purgeRounds(report, go);
    // Trimming does not wait for the purge to finish: a member whose purge keeps failing must
    // not stop sync_commits from being trimmed.
    const trimDone = await trimRounds(report, go);
    report.complete = purgeDone && trimDone;
    return report;
  }

  /** True when no expired row was left (as far as this pass could tell). */
  async function purgeRounds(report: PassReport, go: () => boolean): Promise<boolean> {
    // Members this pass is done with: purged to nothing, busy or failed. Not asked again, so
    // a member that keeps failing cannot make the pass spin.
    const done = new Set<string>();
    // Each round asks for the owners of the oldest expired rows and purges one batch of each;
    // a member with more expired rows than one batch shows up again in the next round.
    for (;;) {
      if (!go() || report.purgeCommits >= config.maintenancePurgesPerPass) return false;
      const owners = await scan.expiredOwners(deps.now() - config.tombstoneMs, SCAN_PAGE);
      const members = membersToVisit([owners.tombstones, owners.mutations], SCAN_PAGE).filter((m) => !done.has(m));
      if (members.length === 0) return owners.tombstones.length + owners.mutations.length === 0;
      for (const memberId of members) {
        if (!go() || report.purgeCommits >= config.maintenancePurgesPerPass) return false;
        try {
          const r = await purgeMember(memberId);
          if (r.kind === 'purged') {
            report.purgeCommits += 1;
            report.tombstones += r.tombstones;
            report.mutations += r.mutations;
            report.bytes += r.bytes;
            if (r.tombstones < config.purgePerPush && r.mutations < config.purgePerPush) done.add(memberId);
            logger.debug({ member: memberId, tombstones: r.tombstones, mutations: r.mutations, purgedSeq: r.purgedSeq, attempts: r.attempts }, 'sync maintenance: purged');
          } else {
            done.add(memberId);
            if (r.kind === 'busy') {
              report.busy += 1;
              logger.info({ member: memberId, detail: r.detail }, 'sync maintenance: purge left for the next pass (pushes kept winning)');
            }
          }
        } catch (e) {
          done.add(memberId);
          report.failed += 1;
          logger.warn({ member: memberId, err: e instanceof Error ? e.message : String(e) }, 'sync maintenance: purge failed');
        }
      }
    }
  }

  /** True when no trimmable row was left. */
  async function trimRounds(report: PassReport, go: () => boolean): Promise<boolean> {
    const before = trimCutoff(deps.now(), config.commitRetentionMs);
    for (;;) {
      const room = config.maintenanceTrimPerPass - report.trimmed;
      if (!go() || room <= 0) return false;
      const rows = await scan.supersededCommits(before, Math.min(TRIM_PAGE, room));
      if (rows.length === 0) return true;
      const deleted = await scan.deleteCommits(rows.map((r) => r.id));
      report.trimmed += deleted;
      // Nothing deleted: another process is trimming the same rows; leave them to it.
      if (deleted === 0) return false;
    }
  }

  return { pass, purgeMember };
}

export type SyncMaintenance = ReturnType<typeof createSyncMaintenance>;
