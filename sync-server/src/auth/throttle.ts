import type PocketBase from 'pocketbase';

/**
 * Login throttling that holds across restarts and server processes: failed logins and
 * requests per client address are rows in `auth_events` (insert-only, so concurrent
 * processes never lose a count), locks are rows in `auth_locks`.
 */
export interface ThrottleStore {
  record(key: string, at: number): Promise<void>;
  countSince(key: string, since: number): Promise<number>;
  lockedUntil(key: string): Promise<number | null>;
  lock(key: string, until: number): Promise<void>;
  clear(key: string): Promise<void>;
  purgeBefore(at: number): Promise<void>;
}

export function createPbThrottleStore(pb: PocketBase): ThrottleStore {
  const events = () => pb.collection('auth_events');
  const locks = () => pb.collection('auth_locks');
  const findLock = async (key: string) =>
    (await locks().getList<{ id: string; locked_until: number }>(1, 1, { filter: pb.filter('key = {:key}', { key }), skipTotal: true }))
      .items[0];
  return {
    async record(key, at) {
      await events().create({ key, at });
    },
    async countSince(key, since) {
      const r = await events().getList(1, 1, { filter: pb.filter('key = {:key} && at >= {:since}', { key, since }), fields: 'id' });
      return r.totalItems;
    },
    async lockedUntil(key) {
      return (await findLock(key))?.locked_until ?? null;
    },
    async lock(key, until) {
      const existing = await findLock(key);
      if (existing) {
        await locks().update(existing.id, { locked_until: Math.max(until, existing.locked_until) });
        return;
      }
      try {
        await locks().create({ key, locked_until: until });
      } catch (e) {
        // Another process created it first (unique index on key): extend theirs.
        const again = await findLock(key);
        if (!again) throw e;
        await locks().update(again.id, { locked_until: Math.max(until, again.locked_until) });
      }
    },
    async clear(key) {
      const lock = await findLock(key);
      if (lock) await locks().delete(lock.id).catch(() => undefined);
      const rows = await events().getFullList<{ id: string }>({ filter: pb.filter('key = {:key}', { key }), fields: 'id' });
      if (rows.length === 0) return;
      const batch = pb.createBatch();
      for (const r of rows.slice(0, 400)) batch.collection('auth_events').delete(r.id);
      await batch.send();
    },
    async purgeBefore(at) {
      const rows = await events().getList<{ id: string }>(1, 400, { filter: pb.filter('at < {:at}', { at }), fields: 'id', skipTotal: true });
      if (rows.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of rows.items) batch.collection('auth_events').delete(r.id);
      await batch.send();
    },
  };
}

export interface ThrottlePolicy {
  perAddressPerMinute: number;
  lockThreshold: number;
  lockWindowMs: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; code: 'rate_limited' | 'account_locked'; retryAfterSec: number };

export function createThrottle(store: ThrottleStore, policy: ThrottlePolicy) {
  const sec = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  return {
    /** Counts one auth request from a client address and says whether it may go on. */
    async hitAddress(address: string, now: number): Promise<ThrottleVerdict> {
      const key = `ip:${address}`;
      await store.record(key, now);
      const n = await store.countSince(key, now - 60_000);
      if (n > policy.perAddressPerMinute) return { ok: false, code: 'rate_limited', retryAfterSec: 60 };
      // Old rows are only clutter, never needed for correctness: trim now and then.
      if (Math.random() < 0.02) void store.purgeBefore(now - 24 * 3_600_000).catch(() => undefined);
      return { ok: true };
    },
    async checkAccount(accountKey: string, now: number): Promise<ThrottleVerdict> {
      const until = await store.lockedUntil(`acct:${accountKey}`);
      if (until !== null && until > now) return { ok: false, code: 'account_locked', retryAfterSec: sec(until - now) };
      return { ok: true };
    },
    async failedLogin(accountKey: string, now: number): Promise<void> {
      const key = `acct:${accountKey}`;
      await store.record(key, now);
      const n = await store.countSince(key, now - policy.lockWindowMs);
      if (n >= policy.lockThreshold) await store.lock(key, now + policy.lockWindowMs);
    },
    async succeededLogin(accountKey: string): Promise<void> {
      await store.clear(`acct:${accountKey}`);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
