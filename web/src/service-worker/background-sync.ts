/**
 * The `sync` event of Background Sync (web/src/lib/sync/background-sync.ts): the page asked the
 * browser to wake us once the network is back, so we run the page's own sync engine on the
 * same IndexedDB database, with the worker's fetch (same origin: the session cookie goes
 * along, and a push carries our Origin and `Sec-Fetch-Site: same-origin`) and the same Web
 * Lock, so a tab that is syncing at that moment and this worker never run at once.
 */
import { createHttpClient, createSyncApi } from '$lib/api';
import { createStorage } from '$lib/storage';
import { BACKGROUND_SYNC_TAG, syncInBackground } from '$lib/sync/background-sync';
import { createSyncEngine, type SyncEngine } from '$lib/sync/engine';
import { webLock } from '$lib/sync/lock';

// The Background Sync spec's SyncEvent is not in TypeScript's webworker library.
declare global {
  interface SyncEvent extends ExtendableEvent {
    readonly tag: string;
    readonly lastChance: boolean;
  }
  interface ServiceWorkerGlobalScopeEventMap {
    sync: SyncEvent;
  }
}

function createWorkerSyncEngine(scope: ServiceWorkerGlobalScope): SyncEngine {
  // Opened on the first sync event, not at install: importing storage touches no IndexedDB.
  const storage = createStorage();
  // Relative URLs resolve against the worker's own URL: our origin.
  const http = createHttpClient({ fetch: (input, init) => scope.fetch(input, init) });
  return createSyncEngine({
    db: storage.db,
    api: createSyncApi(http),
    lock: webLock(scope.navigator.locks),
    profile: () => storage.settings.profile(),
  });
}

export function listenForBackgroundSync(scope: ServiceWorkerGlobalScope): void {
  let engine: SyncEngine | null = null;
  scope.addEventListener('sync', (event) => {
    if (event.tag !== BACKGROUND_SYNC_TAG) return;
    engine ??= createWorkerSyncEngine(scope);
    // A rejected promise makes the browser fire the event again later; see syncInBackground.
    event.waitUntil(syncInBackground(engine));
  });
}
