import type { Lease, LeaseStore } from './lease-store';

/** Leases in memory (unit tests): one holder per key, taken over after its TTL. */
export function createMemoryLeaseStore(): LeaseStore {
  const held = new Map<string, { token: number; until: number }>();
  let next = 0;
  return {
    async tryAcquire(key, ttlMs, now) {
      await Promise.resolve();
      const cur = held.get(key);
      if (cur && cur.until > now) return { heldUntil: cur.until };
      const token = ++next;
      held.set(key, { token, until: now + ttlMs });
      const lease: Lease = {
        async release() {
          if (held.get(key)?.token === token) held.delete(key);
        },
      };
      return lease;
    },
  };
}
