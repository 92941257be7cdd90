import { Buffer } from 'node:buffer';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { loopbackFetch } from './loopback-fetch';

/**
 * The sync server's one PocketBase client: a superuser over loopback. Never authenticate a
 * member on it (their password checks use a throwaway client, see verifyPassword).
 *
 * The superuser token is renewed RENEW_BEFORE_S before it expires, by signing in again. Not with
 * the SDK's `autoRefreshThreshold`: its hook decodes the token twice on every request (a
 * character-by-character percent-decoding of the payload, getTokenPayload), which at 100 rooms
 * x 30 joining was a quarter of everything the server allocated (bench/class-fanout.bench.ts,
 * ALLOC_PROF_PHASE=setup; issue 14). Here the expiry is read once per sign-in and each request
 * compares a number.
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

/** How long before the superuser token expires it is renewed. */
export const RENEW_BEFORE_S = 30 * 60;

/** When a token is due for renewal (ms since the epoch), from its `exp` claim; never if it has none. */
export function renewalDue(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? (payload.exp - RENEW_BEFORE_S) * 1000 : Infinity;
  } catch {
    // Not a JWT we can read: PocketBase's 401 on expiry still signs us in again (send below).
    return Infinity;
  }
}

export function createDb(url: string, superuser: { email: string; password: string }, clock: { now(): number } = Date): Db {
  const pb = new PocketBase(url);
  // Concurrent requests to one collection must not cancel each other on a server.
  pb.autoCancellation(false);
  let connecting: Promise<void> | null = null;
  let renewAt = Infinity;

  const connect = () => {
    connecting ??= pb
      .collection('_superusers')
      .authWithPassword(superuser.email, superuser.password)
      .then(() => {
        renewAt = renewalDue(pb.authStore.token);
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  };

  // If our superuser token stops being accepted (PocketBase restored from a backup, or the
  // superuser's password upserted by another process, which rotates its token key), sign
  // in again once and retry: the renewal only covers expiry.
  // Every request goes over loopback-fetch.ts's keep-alive transport unless it names its own.
  const transport = loopbackFetch(url) as typeof fetch | null;
  const sendAs = pb.send.bind(pb);
  const send = <T>(path: string, options: Parameters<PocketBase['send']>[1]) => sendAs<T>(path, transport && !options?.fetch ? { ...options, fetch: transport } : options);
  pb.send = async function <T>(path: string, options: Parameters<PocketBase['send']>[1]): Promise<T> {
    const signingIn = path.includes('/auth-with-password');
    if (!signingIn && clock.now() >= renewAt) await connect();
    try {
      return await send<T>(path, options);
    } catch (e) {
      const status = e instanceof ClientResponseError ? e.status : 0;
      if ((status === 401 || status === 403) && !signingIn) {
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
