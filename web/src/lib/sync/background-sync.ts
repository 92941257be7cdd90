/**
 * Background Sync (https://wicg.github.io/background-sync/spec/): the page registers a one-off
 * sync tag, and the browser fires a `sync` event at the service worker once it has a network
 * connection, even when every tab of the app is closed. If the event's waitUntil promise
 * rejects, the browser fires it again later with its own backoff, and the last attempt it
 * will make says so (`SyncEvent.lastChance`).
 *
 * The page side: one adapter over `registration.sync` (Chromium only; elsewhere the no-op) and
 * the decision when to ask for it. The worker side: what a `sync` event does with a run of
 * the same sync engine the page uses. Neither imports a Svelte runes module, so the service
 * worker bundle (built without the Svelte compiler) can import this file.
 */
import { isNetworkError } from '$lib/api';
import type { SyncEngine, SyncRunResult } from './engine';
import type { SyncTrigger } from './scheduler';

export const BACKGROUND_SYNC_TAG = 'hrm-sync';

export type BackgroundSyncRegistration = 'registered' | 'unsupported' | 'refused';

/** The browser's Background Sync as the page needs it. */
export interface BackgroundSync {
  /** Asks the browser to wake the service worker for a sync once the network is there. */
  register(): Promise<BackgroundSyncRegistration>;
}

/** Browsers without Background Sync (Firefox, Safari), tests, and pages without a worker. */
export const noBackgroundSync: BackgroundSync = { register: async () => 'unsupported' };

/** `ServiceWorkerRegistration.sync` (SyncManager): not in TypeScript's DOM library. */
interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

export function browserBackgroundSync(
  container: ServiceWorkerContainer | undefined = globalThis.navigator?.serviceWorker,
  tag = BACKGROUND_SYNC_TAG,
): BackgroundSync {
  if (!container) return noBackgroundSync;
  return {
    async register() {
      try {
        // getRegistration, not `ready`: `ready` never settles on a page without a worker.
        const registration = await container.getRegistration();
        // register() rejects with InvalidStateError while no worker is active.
        if (!registration?.active || !('sync' in registration)) return 'unsupported';
        await (registration.sync as SyncManagerLike).register(tag);
        return 'registered';
      } catch {
        // NotAllowedError when the user blocked background sync for the site.
        return 'refused';
      }
    },
  };
}

export interface BackgroundSyncCheck {
  trigger: SyncTrigger;
  /** Mutations of the member still in the outbox. */
  pending: number;
  /** What the browser believes (`navigator.onLine`); false is reliable, true is a guess. */
  online: boolean;
  /** The run's result; absent when asked before the run. */
  result?: SyncRunResult;
}

/**
 * Should the page hand the push to the service worker? Only when something waits to be pushed
 * and the page may not be around to push it: before a run, when a workout just finished (the
 * member may close the tab at once) or the device is offline; after a run, when it failed for
 * the network. A refusal by the server (4xx, 5xx) is the page scheduler's business.
 */
export function needsBackgroundSync({ trigger, pending, online, result }: BackgroundSyncCheck): boolean {
  if (pending === 0) return false;
  if (!result) return trigger === 'workout' || !online;
  return result.status === 'failed' && isNetworkError(result.error);
}

/** Thrown from a `sync` event's run so that its waitUntil promise rejects and the browser retries. */
export class BackgroundSyncFailed extends Error {
  readonly code: string;
  constructor(readonly result: Extract<SyncRunResult, { status: 'failed' }>) {
    super(`Background sync failed: ${result.error.code}`);
    this.name = 'BackgroundSyncFailed';
    this.code = result.error.code;
  }
}

/**
 * One run for a `sync` event. Resolves when there is nothing to retry: synced, nobody signed
 * in ('guest'), the session is gone ('signed-out': a retry cannot sign in), or a tab is
 * syncing right now ('busy': that tab pushes). Rejects when the run failed, so the browser
 * fires the event again later.
 */
export async function syncInBackground(engine: SyncEngine, signal?: AbortSignal): Promise<SyncRunResult> {
  const result = await engine.run(signal);
  if (result.status === 'failed') throw new BackgroundSyncFailed(result);
  return result;
}
