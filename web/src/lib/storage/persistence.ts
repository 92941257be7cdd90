/**
 * Persistent storage (StorageManager): ask the browser not to evict our data, and report how
 * much is used. Behind a small interface so the settings screen can be tested with a fake.
 */
export interface StorageEstimate {
  usedBytes: number | null;
  quotaBytes: number | null;
}

export type PersistResult = 'persisted' | 'denied' | 'unsupported';

export interface StoragePersistence {
  persisted(): Promise<boolean | null>;
  /** Asks for persistent storage; 'unsupported' where the API is missing. */
  persist(): Promise<PersistResult>;
  estimate(): Promise<StorageEstimate>;
}

/** `persist()` is exposed to windows only; the service worker type-checks this file too. */
type PersistingStorageManager = StorageManager & { persist?: () => Promise<boolean> };

export function browserPersistence(manager: PersistingStorageManager | undefined = globalThis.navigator?.storage): StoragePersistence {
  return {
    async persisted() {
      return manager?.persisted ? manager.persisted() : null;
    },
    async persist() {
      if (!manager?.persist) return 'unsupported';
      try {
        return (await manager.persist()) ? 'persisted' : 'denied';
      } catch {
        return 'denied';
      }
    },
    async estimate() {
      if (!manager?.estimate) return { usedBytes: null, quotaBytes: null };
      const e = await manager.estimate();
      return { usedBytes: e.usage ?? null, quotaBytes: e.quota ?? null };
    },
  };
}
