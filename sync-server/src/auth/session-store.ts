import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { createReadCoalescer } from '../pocketbase/read-coalescer';
import { createRecordReader, createRecordsReader } from '../pocketbase/record-reader';

/**
 * Per-device sessions, stored in PocketBase's `sessions` collection (only the SHA-256 of
 * each cookie secret). Every request reads the row, so a session revoked through one server
 * process is refused on its very next request by any other.
 *
 * Hot path: `get` is the one PocketBase read of an authenticated request (shared with the
 * requests that arrive while a read is on the wire: pocketbase/read-coalescer.ts). It returns the
 * member with the session: one record of the `session_members` VIEW collection (the session
 * joined with its member's fields, pb_migrations/1763902300_session_members.js), so PocketBase
 * runs one indexed SELECT and no `expand` (which costs it a second query and its JSON work),
 * and nothing downstream reads `users` again (GET /api/v1/me answers from it). The view is
 * never written: a deleted (revoked, expired) session leaves it in the same transaction.
 *
 * Writers of a session row: `create` (once), `touch` (the session's own use, at most once per
 * TOUCH_EVERY_MS, see sessions.ts) and `delete` (revocation). PocketBase writes the whole row
 * on update, but every column a touch writes back (secret hash, device, expiry) never changes
 * after create, so a touch cannot undo another write. A touch racing a revocation cannot
 * resurrect the session: an update never inserts (PocketBase answers 404 for a deleted record,
 * or its UPDATE matches no row), and `touch` then reports the session gone.
 */
export interface SessionInfo {
  id: string;
  userId: string;
  deviceName: string;
  created: number;
  lastSeen: number;
  idleExpires: number;
  expires: number;
}

/** The member a session belongs to, read with the session. */
export interface SessionMember {
  id: string;
  email: string;
  name: string;
  verified: boolean;
}

/** An authenticated request's session: the session and its member, from one read. */
export interface SessionRecord extends SessionInfo {
  member: SessionMember;
}

export interface StoredSession extends SessionRecord {
  secretHash: string;
}

export interface SessionStore {
  create(input: Omit<SessionInfo, 'id' | 'created'> & { secretHash: string }): Promise<SessionInfo>;
  /** The session with its member, or null when unknown (or its member is gone). One read. */
  get(id: string): Promise<StoredSession | null>;
  /** Slides the session; false when it no longer exists (never re-creates it). */
  touch(id: string, lastSeen: number, idleExpires: number): Promise<boolean>;
  listForUser(userId: string): Promise<SessionInfo[]>;
  delete(id: string): Promise<void>;
  /** Deletes every session of the member that exists when the call starts. */
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
/** A row of the `session_members` view: the session and its member's public fields. */
type MemberRow = Row & { member_email: string; member_name: string; member_verified: boolean };

function infoFromRow(r: Row): SessionInfo {
  return {
    id: r.id,
    userId: r.user,
    deviceName: r.device_name,
    created: toMs(r.created),
    lastSeen: toMs(r.last_seen),
    idleExpires: toMs(r.idle_expires),
    expires: toMs(r.expires),
  };
}

const ID = /^[a-z0-9]{15}$/;
const isNotFound = (e: unknown) => e instanceof ClientResponseError && e.status === 404;
const SESSION_FIELDS = 'id,user,secret_hash,device_name,last_seen,idle_expires,expires,created';
/**
 * The hot-path read: one record of the `session_members` view, no query at all. No `expand`
 * (the view already holds the member's fields) and no `fields` list: PocketBase's field
 * picking re-encodes the record and costs it about a quarter of its throughput on this read
 * (bench/me-throughput.bench.ts), for nothing here: the view selects only what we need.
 */
export const SESSION_READ = { collection: 'session_members', query: {} as Readonly<Record<string, string>> } as const;

/**
 * Session reads per batch and batches on the wire at once. One batch at a time: the requests
 * that arrive while it is out all leave in the next one, so PocketBase and this process pay
 * the fixed cost of a request (HTTP, auth, query) once for all of them. Measured with
 * bench/me-throughput.bench.ts (16 clients, 2 cores): PocketBase CPU per /me 0.24 ms with one
 * batch out against 0.33 ms with two, the sync server's 0.43 ms against 0.45-0.57 ms. The
 * price: a read held up (30 s timeout, record-reader.ts) holds up the requests queued behind
 * it, as a second slot would only while PocketBase itself still answers.
 */
const SESSION_READS = { maxBatch: 64, maxInFlight: 1, defer: setImmediate } as const;

export function createPbSessionStore(pb: PocketBase): SessionStore {
  const col = () => pb.collection('sessions');
  const one = createRecordReader(pb);
  const many = createRecordsReader(pb);
  // Concurrent requests' session reads leave together (read-coalescer.ts): each request still
  // gets a read sent after it arrived, so a revocation is seen on the very next request.
  const read = createReadCoalescer<MemberRow>(
    {
      one: (id) => one<MemberRow>(SESSION_READ.collection, id, SESSION_READ.query),
      many: (ids) => many<MemberRow>(SESSION_READ.collection, ids, SESSION_READ.query),
    },
    SESSION_READS,
  );
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
      return infoFromRow(row);
    },
    async get(id) {
      if (!ID.test(id)) return null;
      // The view's inner join leaves out a session without its member (one being deleted:
      // the relation cascades).
      const row = await read(id);
      if (!row) return null;
      return {
        ...infoFromRow(row),
        secretHash: row.secret_hash,
        member: { id: row.user, email: row.member_email, name: row.member_name, verified: row.member_verified },
      };
    },
    async touch(id, lastSeen, idleExpires) {
      try {
        await col().update(id, { last_seen: toPb(lastSeen), idle_expires: toPb(idleExpires) }, { fields: 'id' });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    async listForUser(userId) {
      const rows = await col().getFullList<Row>({ filter: pb.filter('user = {:userId}', { userId }), sort: '-last_seen', fields: SESSION_FIELDS });
      return rows.map(infoFromRow);
    },
    async delete(id) {
      if (!ID.test(id)) return;
      try {
        await col().delete(id);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
    async deleteForUser(userId) {
      // Delete in pages until none are left: new ones may appear concurrently. A page's batch
      // fails as a whole if another deleter removed one of its rows first: list again.
      for (;;) {
        const rows = await col().getList<Row>(1, 200, { filter: pb.filter('user = {:userId}', { userId }), fields: 'id', skipTotal: true });
        if (rows.items.length === 0) return;
        const batch = pb.createBatch();
        for (const r of rows.items) batch.collection('sessions').delete(r.id);
        try {
          await batch.send();
        } catch (e) {
          if (!(e instanceof ClientResponseError) || e.status !== 400) throw e;
        }
      }
    },
  };
}
