import { createMemoryGrantStore as createNeutral } from '../grants/memory-grant-store';
import type { GrantStore } from './grant-store';

/**
 * Spotify's grant store in memory, for unit tests: the provider-neutral one
 * (grants/memory-grant-store.ts) plus the mute volume, on its own, dropped with the grant.
 */
export function createMemoryGrantStore() {
  const mutes = new Map<string, number>();
  const base = createNeutral({ onRemove: (id) => mutes.delete(id) });
  const tick = () => Promise.resolve();
  const store: GrantStore = {
    ...base.store,
    async mutedFrom(id) {
      await tick();
      return mutes.get(id) ?? 0;
    },
    async setMutedFrom(id, volume) {
      await tick();
      if (base.has(id)) mutes.set(id, volume);
    },
  };
  return { store, wedge: base.wedge };
}
