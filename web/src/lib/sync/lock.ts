/**
 * One sync at a time across tabs and the service worker (Background Sync): the Web Locks API
 * (navigator.locks, in windows and workers) with `ifAvailable`, so whoever finds another run
 * under way skips instead of queueing. Where the API is missing (Node tests, old browsers) an
 * in-memory lock serializes the syncs of this one JS realm.
 */
export const SYNC_LOCK_NAME = 'hrm-sync';

export interface SyncLock {
  /** Runs `fn` holding the lock, or returns 'busy' at once when someone else holds it. */
  tryRun<T>(fn: () => Promise<T>): Promise<T | 'busy'>;
}

export function memoryLock(): SyncLock {
  let held = false;
  return {
    async tryRun(fn) {
      if (held) return 'busy';
      held = true;
      try {
        return await fn();
      } finally {
        held = false;
      }
    },
  };
}

export function webLock(locks: LockManager | undefined = globalThis.navigator?.locks, name = SYNC_LOCK_NAME): SyncLock {
  if (!locks) return memoryLock();
  return {
    tryRun: <T>(fn: () => Promise<T>) =>
      locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : Promise.resolve('busy' as const))) as Promise<T | 'busy'>,
  };
}
