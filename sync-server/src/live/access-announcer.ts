import type { MiddlewareHandler } from 'hono';
import type { SessionStore } from '../auth/session-store';
import type { AppEnv } from '../http/types';
import type { LiveBus } from './bus';

/**
 * Tells every server process's live hub when a member's sessions end, so their open control
 * sockets are re-checked at once (issue 11: live authorization is continuous). Wraps the
 * SessionStore given to createSessions, so logout, revoking one or all sessions, a password
 * reset and an expired session all announce themselves without the routes knowing.
 * Announced after the delete has committed: the hubs' re-check then reads the new truth.
 */
export function announcingSessionStore(store: SessionStore, bus: Pick<LiveBus, 'publishAccess'>): SessionStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'delete') {
        return async (id: string) => {
          await target.delete(id);
          bus.publishAccess({ type: 'session-revoked', sessionId: id });
        };
      }
      if (prop === 'deleteForUser') {
        return async (userId: string) => {
          await target.deleteForUser(userId);
          bus.publishAccess({ type: 'sessions-revoked', userId });
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Account deletion removes the sessions (and the member's rooms) by PocketBase's cascade, not
 * through the SessionStore: announce it once `DELETE /me` succeeded. Mounted on /v1/me.
 */
export function announceAccountDeletion(bus: Pick<LiveBus, 'publishAccess'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'DELETE' || c.res.status !== 204) return;
    const userId = c.get('session')?.userId;
    if (userId) bus.publishAccess({ type: 'sessions-revoked', userId });
  };
}
