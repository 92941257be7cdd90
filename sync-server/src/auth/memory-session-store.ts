import type { SessionInfo, SessionMember, SessionStore, StoredSession } from './session-store';

type Row = Omit<StoredSession, 'member'>;

/**
 * The in-memory SessionStore, for unit tests of the session rules and the routes. `members`
 * plays PocketBase's `users` collection for the join in `get` (the session_members view): a
 * session whose member it does not know reads as absent, as after PocketBase's cascade. By
 * default every member exists, named after its id.
 */
export function createMemorySessionStore(
  now: () => number = Date.now,
  members: (userId: string) => SessionMember | null = (id) => ({ id, email: `${id}@example.invalid`, name: id, verified: false }),
): SessionStore & { rows: Map<string, Row> } {
  const rows = new Map<string, Row>();
  let n = 0;
  const strip = ({ secretHash: _s, ...rest }: Row): SessionInfo => rest;
  return {
    rows,
    async create(s) {
      n += 1;
      const id = `s${String(n).padStart(14, '0')}`;
      const row: Row = { ...s, id, created: now() };
      rows.set(id, row);
      return strip(row);
    },
    async get(id) {
      const r = rows.get(id);
      const member = r ? members(r.userId) : null;
      return r && member ? { ...r, member } : null;
    },
    async touch(id, lastSeen, idleExpires) {
      const r = rows.get(id);
      if (!r) return false;
      rows.set(id, { ...r, lastSeen, idleExpires });
      return true;
    },
    async listForUser(userId) {
      return [...rows.values()]
        .filter((r) => r.userId === userId)
        .sort((a, b) => b.lastSeen - a.lastSeen)
        .map(strip);
    },
    async delete(id) {
      rows.delete(id);
    },
    async deleteForUser(userId) {
      for (const [id, r] of rows) if (r.userId === userId) rows.delete(id);
    },
  };
}
