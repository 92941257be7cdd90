import type { AccountStore } from './account-store';
import type { SessionMember } from './session-store';

/**
 * The in-memory AccountStore: `members` plays PocketBase's `users`, `keyed` the rows keyed by
 * a member (leases, throttle rows) that erase must remove, and `onErase` the cascade (e.g. the
 * memory session store's deleteForUser).
 */
export function createMemoryAccountStore(opts: { onErase?: (id: string) => Promise<void> } = {}) {
  const members = new Map<string, SessionMember>();
  const passwords = new Map<string, string>();
  const keyed = new Set<string>();
  /** Mails "sent": verification and reset requests, in order (a reset token is `reset:<id>`). */
  const outbox: { kind: 'verify' | 'reset'; email: string; token?: string }[] = [];
  let n = 0;
  const byEmail = (email: string) => [...members.values()].find((m) => m.email === email);
  const store: AccountStore = {
    async checkPassword(email, password) {
      const m = byEmail(email.toLowerCase()) ?? byEmail(email);
      return m && passwords.get(m.id) === password ? m : null;
    },
    async member(id) {
      return members.get(id) ?? null;
    },
    async confirmVerification(token) {
      // A verification token is `verify:<id>` here (PocketBase's are signed JWTs).
      const m = token.startsWith('verify:') ? members.get(token.slice(7)) : undefined;
      if (!m) return false;
      members.set(m.id, { ...m, verified: true });
      return true;
    },
    async register({ email, password, name }) {
      if (byEmail(email)) return { created: false, fields: ['email'] };
      n += 1;
      const id = `u${String(n).padStart(14, '0')}`;
      members.set(id, { id, email, name, verified: false });
      passwords.set(id, password);
      return { created: true };
    },
    async requestVerification(email) {
      if (byEmail(email)) outbox.push({ kind: 'verify', email });
    },
    async requestPasswordReset(email) {
      const m = byEmail(email);
      if (m) outbox.push({ kind: 'reset', email, token: `reset:${m.id}` });
    },
    async resetPassword(token, password) {
      const id = token.startsWith('reset:') ? token.slice(6) : '';
      const issued = outbox.findIndex((o) => o.token === token);
      if (!members.has(id) || issued < 0) return false;
      outbox[issued] = { ...outbox[issued]!, token: undefined }; // one use
      passwords.set(id, password);
      return true;
    },
    async rename(id, name) {
      const m = members.get(id);
      if (!m) throw new Error(`no member ${id}`);
      const renamed = { ...m, name };
      members.set(id, renamed);
      return renamed;
    },
    async erase({ id, accountKey }) {
      members.delete(id);
      passwords.delete(id);
      await opts.onErase?.(id);
      for (const k of [`refresh:${id}`, `now-playing:${id}`, `acct:${accountKey}`, `invite:${id}`]) keyed.delete(k);
    },
  };
  return { store, members, passwords, keyed, outbox };
}
