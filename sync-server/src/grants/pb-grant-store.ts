import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import type { FailureType, Grant, GrantFields, GrantStatus, GrantStore, GrantUpdate, HealthEvent } from './store';
import { foldHealth, HEALTH_WINDOW } from './store';

/**
 * The grant store in PocketBase, for any provider: each has its own three collections of one
 * shape (Spotify: pb_migrations/1763900200_spotify.js, 1763901000_spotify_split_grant.js;
 * Strava: 1763902200_strava_grants.js).
 *
 * `<p>_grants` (record id = member id) is written only by a compare-and-set: one batch (one
 * SQLite transaction) creates `<p>_grant_versions (grant, version)` and updates the grant
 * to that version. The unique index on (grant, version) lets exactly one writer win; a loser's
 * batch rolls back whole. No other write touches the grant record, because PocketBase writes
 * every column on update from a read taken before: a plain update of any field would write
 * back stale tokens and version (issue 11 defect 1). Health events (`<p>_grant_events`) and
 * provider extras (Spotify's `spotify_mutes`) live in records of their own.
 */
type Row = {
  id: string;
  access_token: string;
  refresh_token: string;
  key_id: string;
  authorized_at: number;
  expires_at: number;
  scopes: string;
  version: number;
  status: GrantStatus;
  status_at: number;
};

type EventRow = { kind: 'failure' | 'success'; type: string; at: number; backoff_until: number };

/** One provider's collections; `label` names it in errors. */
export interface GrantCollections {
  grants: string;
  versions: string;
  events: string;
  label: string;
}

export const SPOTIFY_GRANT_COLLECTIONS: GrantCollections = { grants: 'spotify_grants', versions: 'spotify_grant_versions', events: 'spotify_grant_events', label: 'spotify grant' };
export const STRAVA_GRANT_COLLECTIONS: GrantCollections = { grants: 'strava_grants', versions: 'strava_grant_versions', events: 'strava_grant_events', label: 'strava grant' };

const fromRow = (r: Row): Grant => ({
  memberId: r.id,
  version: r.version,
  status: r.status,
  statusAt: r.status_at,
  authorizedAt: r.authorized_at,
  expiresAt: r.expires_at,
  scopes: r.scopes,
  sealed: { accessToken: r.access_token, refreshToken: r.refresh_token, keyId: r.key_id },
});

const toRow = (u: GrantUpdate): Record<string, unknown> => ({
  ...(u.sealed ? { access_token: u.sealed.accessToken, refresh_token: u.sealed.refreshToken, key_id: u.sealed.keyId } : {}),
  ...(u.expiresAt !== undefined ? { expires_at: Math.max(0, Math.floor(u.expiresAt)) } : {}),
  ...(u.scopes !== undefined ? { scopes: u.scopes.slice(0, 1000) } : {}),
  ...(u.authorizedAt !== undefined ? { authorized_at: u.authorizedAt } : {}),
  ...(u.status !== undefined ? { status: u.status } : {}),
  ...(u.statusAt !== undefined ? { status_at: u.statusAt } : {}),
});

const isClientError = (e: unknown) => e instanceof ClientResponseError && e.status >= 400 && e.status < 500;
const isStatus = (e: unknown, s: number) => e instanceof ClientResponseError && e.status === s;

export function createPbGrantStore(pb: PocketBase, collections: GrantCollections): GrantStore {
  const { grants: GRANTS, versions: VERSIONS, events: EVENTS } = collections;
  async function get(memberId: string): Promise<Grant | null> {
    const r = await pb.collection(GRANTS).getList<Row>(1, 1, { filter: pb.filter('id = {:id}', { id: memberId }), skipTotal: true });
    return r.items[0] ? fromRow(r.items[0]) : null;
  }

  async function ledgerMax(memberId: string): Promise<number> {
    const r = await pb.collection(VERSIONS).getList<{ version: number }>(1, 1, {
      filter: pb.filter('grant = {:g}', { g: memberId }),
      sort: '-version',
      fields: 'version',
      skipTotal: true,
    });
    return r.items[0]?.version ?? 0;
  }

  /** One transaction: the ledger row for `version` and the grant at `version`; false if taken. */
  async function commit(memberId: string, version: number, fields: Record<string, unknown>): Promise<boolean> {
    const batch = pb.createBatch();
    batch.collection(VERSIONS).create({ grant: memberId, version });
    batch.collection(GRANTS).update(memberId, { ...fields, version });
    try {
      await batch.send();
    } catch (e) {
      if (isClientError(e)) return false;
      throw e;
    }
    // The ledger only needs its newest rows; older ones are trimmed now and then. A trimmed
    // version could be taken again by a CAS whose read is that old, so 50 are kept: a write built
    // on a read 50 refreshes (≈ 50 hours) old does not happen within one request.
    if (version % 20 === 0) void trimLedger(memberId, version - 50).catch(() => undefined);
    return true;
  }

  async function trimLedger(memberId: string, below: number) {
    const old = await pb.collection(VERSIONS).getList<{ id: string }>(1, 100, {
      filter: pb.filter('grant = {:g} && version < {:v}', { g: memberId, v: below }),
      fields: 'id',
      skipTotal: true,
    });
    if (old.items.length === 0) return;
    const batch = pb.createBatch();
    for (const r of old.items) batch.collection(VERSIONS).delete(r.id);
    await batch.send();
  }

  async function addEvent(memberId: string, e: HealthEvent) {
    try {
      await pb.collection(EVENTS).create({ grant: memberId, kind: e.kind, type: e.type ?? '', at: e.at, backoff_until: e.backoffUntil });
    } catch (err) {
      // The grant is gone (disconnected meanwhile): nothing to record.
      if (!isClientError(err)) throw err;
    }
  }

  return {
    get,

    async cas(memberId, expected, update) {
      const fields = toRow(update);
      if (await commit(memberId, expected + 1, fields)) return expected + 1;
      // Lost, or wedged? Read the ledger first, then the grant: a writer that moves the grant
      // after our ledger read creates a row at or above max + 1, so our repair below loses.
      const max = await ledgerMax(memberId);
      const g = await get(memberId);
      if (!g || g.version !== expected) return null;
      if (max <= expected) throw new Error(`${collections.label}: write refused (not a version conflict)`);
      // Wedged by an old plain update: the ledger is ahead of a grant that still shows `expected`.
      return (await commit(memberId, max + 1, fields)) ? max + 1 : null;
    },

    async replace(memberId, f: GrantFields) {
      const fresh = { ...toRow({ ...f, status: 'ok' }) };
      // Every round has a winner; a fresh authorization only retries while others write.
      for (let attempt = 0; attempt < 50; attempt++) {
        const max = await ledgerMax(memberId);
        const current = await get(memberId);
        if (current) {
          const next = Math.max(current.version, max) + 1;
          if (await commit(memberId, next, fresh)) {
            await addEvent(memberId, { kind: 'success', type: null, at: f.statusAt, backoffUntil: 0 });
            return next;
          }
          continue;
        }
        const batch = pb.createBatch();
        batch.collection(GRANTS).create({ id: memberId, member: memberId, ...fresh, version: 1 });
        batch.collection(VERSIONS).create({ grant: memberId, version: 1 });
        try {
          await batch.send();
          await addEvent(memberId, { kind: 'success', type: null, at: f.statusAt, backoffUntil: 0 });
          return 1;
        } catch (e) {
          if (!isClientError(e)) throw e;
        }
      }
      throw new Error(`${collections.label}: replace kept losing to other writers`);
    },

    async remove(memberId) {
      try {
        await pb.collection(GRANTS).delete(memberId);
        return true;
      } catch (e) {
        if (isStatus(e, 404)) return false;
        throw e;
      }
    },

    async dueBefore(before, limit) {
      const r = await pb.collection(GRANTS).getList<Row>(1, limit, {
        filter: pb.filter("status = 'ok' && expires_at < {:before}", { before }),
        sort: 'expires_at',
        skipTotal: true,
      });
      return r.items.map(fromRow);
    },

    async health(memberId) {
      const r = await pb.collection(EVENTS).getList<EventRow>(1, HEALTH_WINDOW, {
        filter: pb.filter('grant = {:g}', { g: memberId }),
        sort: '-at,-created',
        fields: 'kind,type,at,backoff_until',
        skipTotal: true,
      });
      return foldHealth(r.items.map((e) => ({ kind: e.kind, type: (e.type || null) as FailureType | null, at: e.at, backoffUntil: e.backoff_until })));
    },

    recordFailure: (memberId, type, at, backoffUntil) => addEvent(memberId, { kind: 'failure', type, at, backoffUntil }),
    recordSuccess: (memberId, at) => addEvent(memberId, { kind: 'success', type: null, at, backoffUntil: 0 }),

    async purgeHealth(before) {
      const old = await pb.collection(EVENTS).getList<{ id: string }>(1, 500, { filter: pb.filter('at < {:t}', { t: before }), fields: 'id', skipTotal: true });
      if (old.items.length === 0) return;
      const batch = pb.createBatch();
      for (const r of old.items) batch.collection(EVENTS).delete(r.id);
      await batch.send();
    },
  };
}
