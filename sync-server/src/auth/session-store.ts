import type PocketBase from 'pocketbase';

/**
 * Per-device sessions, stored in PocketBase's `sessions` collection (only the SHA-256 of
 * each cookie secret). Every request reads the row, so a session revoked through one server
 * process is refused on its very next request by any other.
 */
export interface SessionRecord {
  id: string;
  userId: string;
  deviceName: string;
  created: number;
  lastSeen: number;
  idleExpires: number;
  expires: number;
}

export interface StoredSession extends SessionRecord {
  secretHash: string;
}

export interface SessionStore {
  create(input: Omit<StoredSession, 'id' | 'created'>): Promise<SessionRecord>;
  get(id: string): Promise<StoredSession | null>;
  touch(id: string, lastSeen: number, idleExpires: number): Promise<void>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
}

const toMs = (v: string) => Date.parse(v.replace(' ', 'T'));
const toPb = (ms: number) => new Date(ms).toISOString().replace('T', ' ');

type Row = {
  id: string;
  user: string;
  secret_hash: string;
  device_name: string;
  last_seen: string;
  idle_expires: string;
  expires: string;
  created: string;
};

function fromRow(r: Row): StoredSession {
  return {
    id: r.id,
    userId: r.user,
    secretHash: r.secret_hash,
    deviceName: r.device_name,
    created: toMs(r.created),
    lastSeen: toMs(r.last_seen),
    idleExpires: toMs(r.idle_expires),
    expires: toMs(r.expires),
  };
}

const ID = /^[a-z0-9]{15}$/;

export function createPbSessionStore(pb: PocketBase): SessionStore {
  const col = () => pb.collection('sessions');
  return {
    async create(s) {
      const row = await col().create<Row>({
        user: s.userId,
        secret_hash: s.secretHash,
        device_name: s.deviceName,
        last_seen: toPb(s.lastSeen),
        idle_expires: toPb(s.idleExpires),
        expires: toPb(s.expires),
      });
      const { secretHash: _omit, ...rest } = fromRow(row);
      return rest;
    },
    async get(id) {
      if (!ID.test(id)) return null;
      const rows = await col().getList<Row>(1, 1, { filter: pb.filter('id = {:id}', { id }), skipTotal: true });
      return rows.items[0] ? fromRow(rows.items[0]) : null;
    },
    async touch(id, lastSeen, idleExpires) {
      await col().update(id, { last_seen: toPb(lastSeen), idle_expires: toPb(idleExpires) });
    },
    async listForUser(userId) {
      const rows = await col().getFullList<Row>({ filter: pb.filter('user = {:userId}', { userId }), sort: '-last_seen' });
      return rows.map((r) => {
        const { secretHash: _omit, ...rest } = fromRow(r);
        return rest;
      });
    },
    async delete(id) {
      if (!ID.test(id)) return;
      try {
        await col().delete(id);
      } catch (e) {
        if ((e as { status?: number }).status !== 404) throw e;
      }
    },
    async deleteForUser(userId) {
      // Delete in pages until none are left: new ones may appear concurrently.
      for (;;) {
        const rows = await col().getList<Row>(1, 200, { filter: pb.filter('user = {:userId}', { userId }), fields: 'id', skipTotal: true });
        if (rows.items.length === 0) return;
        const batch = pb.createBatch();
        for (const r of rows.items) batch.collection('sessions').delete(r.id);
        await batch.send();
      }
    },
  };
}
