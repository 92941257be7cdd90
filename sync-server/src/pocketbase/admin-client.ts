import PocketBase, { ClientResponseError } from 'pocketbase';

/**
 * The sync server's one PocketBase client: a superuser over loopback. Never authenticate a
 * member on it (their password checks use a throwaway client, see verifyPassword). The SDK
 * re-authenticates by itself before the superuser token expires (autoRefreshThreshold).
 */
export interface Db {
  pb: PocketBase;
  url: string;
  /** Signs the superuser in (again); resolves when PocketBase accepted it. */
  connect(): Promise<void>;
  /** True when PocketBase answers its health endpoint within the timeout. */
  healthy(timeoutMs?: number): Promise<boolean>;
  /** Checks a member's password without touching the superuser session. */
  verifyPassword(email: string, password: string): Promise<{ id: string } | null>;
}

export function createDb(url: string, superuser: { email: string; password: string }): Db {
  const pb = new PocketBase(url);
  // Concurrent requests to one collection must not cancel each other on a server.
  pb.autoCancellation(false);
  let connecting: Promise<void> | null = null;

  const connect = () => {
    connecting ??= pb
      .collection('_superusers')
      .authWithPassword(superuser.email, superuser.password, { autoRefreshThreshold: 30 * 60 })
      .then(() => undefined)
      .finally(() => {
        connecting = null;
      });
    return connecting;
  };

  // If our superuser token stops being accepted (PocketBase restored from a backup, or the
  // superuser's password upserted by another process, which rotates its token key), sign
  // in again once and retry: the SDK's auto refresh only covers expiry.
  const send = pb.send.bind(pb);
  pb.send = async function <T>(path: string, options: Parameters<PocketBase['send']>[1]): Promise<T> {
    try {
      return await send<T>(path, options);
    } catch (e) {
      const status = e instanceof ClientResponseError ? e.status : 0;
      if ((status === 401 || status === 403) && !path.includes('/auth-with-password')) {
        await connect();
        return send<T>(path, options);
      }
      throw e;
    }
  };

  return {
    pb,
    url,
    connect,
    async healthy(timeoutMs = 1500) {
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
        return res.ok;
      } catch {
        return false;
      }
    },
    async verifyPassword(email, password) {
      const client = new PocketBase(url);
      client.autoCancellation(false);
      try {
        const r = await client.collection('users').authWithPassword(email, password);
        return { id: r.record.id };
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) return null;
        throw e;
      } finally {
        client.authStore.clear();
      }
    },
  };
}

/** PocketBase could not be reached or failed: the caller sees 503, never our data lost. */
export function isDbUnavailable(e: unknown): boolean {
  return e instanceof ClientResponseError && (e.status === 0 || e.status >= 500 || e.isAbort);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ClientResponseError && e.status === 404;
}
