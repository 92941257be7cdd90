import type { SessionRecord, SessionStore, StoredSession } from './session-store';

/** The in-memory fake of SessionStore, for unit tests of the session rules. */
export function createMemorySessionStore(now: () => number = Date.now): SessionStore & { rows: Map<string, StoredSession> } {
  const rows = new Map<string, StoredSession>();
  let n = 0;
  const strip = ({ secretHash: _s, ...rest }: StoredSession): SessionRecord => rest;
  return {
    rows,
    async create(s) {
      n += 1;
      const id = `s${String(n).padStart(14, '0')}`;
      const row = { ...s, id, created: now() };
      rows.set(id, row);
      return strip(row);
    },
    async get(id) {
      return rows.get(id) ?? null;
    },
    async touch(id, lastSeen, idleExpires) {
      const r = rows.get(id);
      if (r) rows.set(id, { ...r, lastSeen, idleExpires });
    },
    async listForUser(userId) {
      return [...rows.values()].filter((r) => r.userId === userId).map(strip);
    },
    async delete(id) {
      rows.delete(id);
    },
    async deleteForUser(userId) {
      for (const [id, r] of rows) if (r.userId === userId) rows.delete(id);
    },
  };
}
