import type { AccountStore } from './account-store';
import type { SessionMember } from './session-store';

/**
 * The in-memory AccountStore: `members` plays PocketBase's `users`, `keyed` the rows keyed by
 * a member (leases, throttle rows) that erase must remove, and `onErase` the cascade (e.g. the
 * memory session store's deleteForUser).
 */
export function createMemoryAccountStore(opts: { onErase?: (id: string) => Promise<void> } = {}) {
  const members = new Map<string, SessionMember>();
  const keyed = new Set<string>();
  const store: AccountStore = {
    async rename(id, name) {
      const m = members.get(id);
      if (!m) throw new Error(`no member ${id}`);
      const renamed = { ...m, name };
      members.set(id, renamed);
      return renamed;
    },
    async erase({ id, accountKey }) {
      members.delete(id);
      await opts.onErase?.(id);
      for (const k of [`refresh:${id}`, `now-playing:${id}`, `acct:${accountKey}`]) keyed.delete(k);
    },
  };
  return { store, members, keyed };
}
