import type { Grant, GrantFields, GrantStore, GrantUpdate, HealthEvent } from './store';
import { foldHealth, HEALTH_WINDOW } from './store';

/**
 * The grant store in memory, for unit tests. Same rules as PocketBase's: a version ledger per
 * grant (`wedge` lets a test put it one ahead, as the old plain updates did), health as an
 * append-only event list. `onRemove` lets a provider drop its extras with the grant.
 */
export function createMemoryGrantStore(opts: { onRemove?: (id: string) => void } = {}) {
  const grants = new Map<string, Grant>();
  const ledger = new Map<string, Set<number>>();
  const events = new Map<string, HealthEvent[]>();
  const tick = () => Promise.resolve();

  const ledgerOf = (id: string) => {
    let s = ledger.get(id);
    if (!s) ledger.set(id, (s = new Set()));
    return s;
  };
  const commit = (id: string, version: number, next: Grant): number | null => {
    const l = ledgerOf(id);
    if (l.has(version)) return null;
    l.add(version);
    grants.set(id, { ...next, version });
    return version;
  };
  const apply = (g: Grant, u: GrantUpdate): Grant => ({ ...g, ...u, sealed: u.sealed ? { ...u.sealed } : g.sealed });

  const store: GrantStore = {
    async get(id) {
      await tick();
      const g = grants.get(id);
      return g ? { ...g, sealed: { ...g.sealed } } : null;
    },
    async cas(id, expected, update) {
      await tick();
      const g = grants.get(id);
      if (!g || g.version !== expected) return null;
      const won = commit(id, expected + 1, apply(g, update));
      if (won !== null) return won;
      // Wedged: the ledger is ahead of a grant that still shows `expected`.
      return commit(id, Math.max(...ledgerOf(id)) + 1, apply(g, update));
    },
    async replace(id, f: GrantFields) {
      await tick();
      const g = grants.get(id);
      const fresh: Grant = { memberId: id, version: 0, status: 'ok', ...f, sealed: { ...f.sealed } };
      const next = g ? Math.max(g.version, ...ledgerOf(id)) + 1 : 1;
      if (!g) ledger.set(id, new Set());
      commit(id, next, fresh);
      (events.get(id) ?? events.set(id, []).get(id)!).push({ kind: 'success', type: null, at: f.statusAt, backoffUntil: 0 });
      return next;
    },
    async remove(id) {
      await tick();
      ledger.delete(id);
      events.delete(id);
      opts.onRemove?.(id);
      return grants.delete(id);
    },
    async dueBefore(before, limit) {
      await tick();
      return [...grants.values()]
        .filter((g) => g.status === 'ok' && g.expiresAt < before)
        .sort((a, b) => a.expiresAt - b.expiresAt)
        .slice(0, limit);
    },
    async health(id) {
      await tick();
      const list = events.get(id) ?? [];
      // Newest first by time; among equal times, the later write.
      const newest = list.map((e, i) => ({ e, i })).sort((a, b) => b.e.at - a.e.at || b.i - a.i).slice(0, HEALTH_WINDOW);
      return foldHealth(newest.map((x) => x.e));
    },
    async recordFailure(id, type, at, backoffUntil) {
      await tick();
      if (!grants.has(id)) return;
      (events.get(id) ?? events.set(id, []).get(id)!).push({ kind: 'failure', type, at, backoffUntil });
    },
    async recordSuccess(id, at) {
      await tick();
      if (!grants.has(id)) return;
      (events.get(id) ?? events.set(id, []).get(id)!).push({ kind: 'success', type: null, at, backoffUntil: 0 });
    },
    async purgeHealth(before) {
      await tick();
      for (const [id, list] of events) events.set(id, list.filter((e) => e.at >= before));
    },
  };

  return {
    store,
    /** Whether a grant exists now (synchronously), for a provider's extras. */
    has: (id: string) => grants.has(id),
    /** Test seam: the ledger one ahead of the grant, as the old plain updates left it. */
    wedge(id: string) {
      const g = grants.get(id);
      if (g) ledgerOf(id).add(g.version + 1);
    },
  };
}
