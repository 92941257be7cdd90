/**
 * The sync engine: one run = push the signed-in member's outbox, then pull to the end
 * (docs/sync-protocol.md §1), holding the cross-tab sync lock. It owns no timers and no UI
 * state: the scheduler decides when to run, the status model shows what a run returned.
 * Every capability (database, HTTP, lock, clock, ids) is passed in, so the same engine runs in
 * the PWA and, over fake-indexeddb and a fault-injecting fetch, in the simulation test.
 */
import type { Profile } from '$core/workout';
import type { ApiError, SyncApi } from '$lib/api';
import { currentOwner, deviceIdOf, GUEST, lastSyncedKey, setMeta, type HrmDatabase } from '$lib/storage';
import { DEFAULT_PROFILE } from '$lib/profile/default-profile';
import type { SyncLock } from './lock';
import { pullChanges } from './pull';
import { pushOutbox } from './push';

export type SyncRunResult =
  | { status: 'synced'; pushed: number; pulled: number; rejected: number; heldBack: number; clockDrift: boolean; at: number }
  /** Another tab (or run) holds the lock. */
  | { status: 'busy' }
  /** Nobody is signed in on this device: guests do not sync. */
  | { status: 'guest' }
  /** The server said 401: the caller tells the session. */
  | { status: 'signed-out'; error: ApiError }
  | { status: 'failed'; error: ApiError };

export interface SyncEngineDeps {
  db: () => HrmDatabase;
  api: SyncApi;
  lock: SyncLock;
  now?: () => number;
  profile?: () => Promise<Profile | null>;
  pushBatch?: number;
  pullLimit?: number;
}

export interface SyncEngine {
  run(signal?: AbortSignal): Promise<SyncRunResult>;
}

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const now = deps.now ?? Date.now;

  async function runLocked(signal?: AbortSignal): Promise<SyncRunResult> {
    const d = deps.db();
    const { owner, deviceId } = await d.transaction('rw', d.syncMeta, async () => ({ owner: await currentOwner(d), deviceId: await deviceIdOf(d) }));
    if (owner === GUEST) return { status: 'guest' };
    const failed = (error: ApiError): SyncRunResult => (error.status === 401 ? { status: 'signed-out', error } : { status: 'failed', error });

    const pushed = await pushOutbox({ db: d, api: deps.api, owner, deviceId, now, batch: deps.pushBatch, signal });
    if (!pushed.ok) return failed(pushed.error);
    const profile = (await deps.profile?.().catch(() => null)) ?? DEFAULT_PROFILE;
    const pulled = await pullChanges({ db: d, api: deps.api, owner, deviceId, now, profile, limit: deps.pullLimit, signal });
    if (!pulled.ok) return failed(pulled.error);
    const at = now();
    // The member may have signed out while we ran: then there is nothing of theirs to stamp.
    await d.transaction('rw', d.syncMeta, async () => {
      if ((await currentOwner(d)) === owner) await setMeta(d, lastSyncedKey(owner), at);
    });
    return {
      status: 'synced',
      pushed: pushed.pushed,
      pulled: pulled.pulled,
      rejected: pushed.rejected,
      heldBack: pushed.heldBack,
      clockDrift: pushed.clockDrift || pulled.clockDrift,
      at,
    };
  }

  return {
    async run(signal) {
      const result = await deps.lock.tryRun(() => runLocked(signal));
      return result === 'busy' ? { status: 'busy' } : result;
    },
  };
}
