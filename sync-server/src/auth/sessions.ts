import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionInfo, SessionRecord, SessionStore } from './session-store';

/**
 * Session tokens: the cookie carries `<session id>.<32 random bytes, base64url>`; the store
 * keeps only SHA-256 of the secret. Sessions slide on use (idle expiry) within an absolute
 * lifetime. Authenticating is one store read (session and member together); the last-seen
 * time is written at most once every TOUCH_EVERY_MS, so almost every request is read-only
 * (the single SQLite writer is spared, and the hot path is one PocketBase request).
 */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export const TOUCH_EVERY_MS = 5 * 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function createSessions(store: SessionStore, policy: SessionPolicy) {
  return {
    async issue(userId: string, deviceName: string, now: number): Promise<{ token: string; session: SessionInfo }> {
      const secret = randomBytes(32).toString('base64url');
      const session = await store.create({
        userId,
        deviceName,
        secretHash: hashSecret(secret),
        lastSeen: now,
        idleExpires: now + policy.idleMs,
        expires: now + policy.maxMs,
      });
      return { token: `${session.id}.${secret}`, session };
    },

    /** The session for a cookie value, or null when unknown, revoked, expired or forged. */
    async authenticate(token: string | undefined, now: number): Promise<SessionRecord | null> {
      if (!token) return null;
      const dot = token.indexOf('.');
      if (dot <= 0) return null;
      const id = token.slice(0, dot);
      const secret = token.slice(dot + 1);
      if (secret.length < 20 || secret.length > 100) return null;
      const stored = await store.get(id);
      if (!stored) return null;
      const a = Buffer.from(stored.secretHash, 'hex');
      const b = Buffer.from(hashSecret(secret), 'hex');
      if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
      if (now >= stored.idleExpires || now >= stored.expires) {
        await store.delete(id);
        return null;
      }
      const { secretHash: _omit, ...session } = stored;
      if (now - stored.lastSeen >= TOUCH_EVERY_MS) {
        const idleExpires = Math.min(now + policy.idleMs, stored.expires);
        // Revoked since the read: the touch does not bring it back, and the request is refused.
        if (!(await store.touch(id, now, idleExpires))) return null;
        return { ...session, lastSeen: now, idleExpires };
      }
      return session;
    },

    list: (userId: string) => store.listForUser(userId),
    revoke: (id: string) => store.delete(id),
    revokeAll: (userId: string) => store.deleteForUser(userId),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
