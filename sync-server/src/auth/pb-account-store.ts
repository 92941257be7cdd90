import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import type { AccountStore } from './account-store';

type UserRow = { id: string; email: string; name: string; verified: boolean };

const isNotFound = (e: unknown) => e instanceof ClientResponseError && e.status === 404;

/**
 * Rows that name a member without a relation PocketBase could cascade: keyed by the member's
 * id (Spotify leases: spotify/token-engine.ts `refresh:<id>`, spotify/service.ts
 * `now-playing:<id>`; the co-coach invitation budget `invite:<id>`), by the hash of their
 * address (sign-in limits: auth/throttle.ts `acct:<accountKey>`; the pre-limiter auth_events
 * and auth_locks of older data) or by the address itself (co-coach invitations sent to it).
 * Every other collection that names a member reaches `users` through a cascading relation
 * (pb_migrations: sessions, sync_*, spotify_* `member`/`grant`, rooms `owner` and through it
 * the rooms' codes, coaches, timers, displays and participants, room_coaches `user`,
 * room_invitations `invited_by`, room_participants `user`).
 */
const keyedRows = (m: { id: string; accountKey: string; email: string }) => [
  { collection: 'spotify_leases', field: 'key', keys: [`refresh:${m.id}`, `now-playing:${m.id}`] },
  // Every provider after Spotify (strava/grants.ts stravaLeaseKey); Strava's grants, upload jobs,
  // choice and connect states cascade from `users`.
  { collection: 'provider_leases', field: 'key', keys: [`strava-refresh:${m.id}`, `intervals-refresh:${m.id}`] },
  { collection: 'limiter_slots', field: 'key', keys: [`acct:${m.accountKey}`, `invite:${m.id}`] },
  { collection: 'auth_events', field: 'key', keys: [`acct:${m.accountKey}`] },
  { collection: 'auth_locks', field: 'key', keys: [`acct:${m.accountKey}`] },
  { collection: 'room_invitations', field: 'email', keys: [m.email.toLowerCase()] },
];

const member = (u: UserRow) => ({ id: u.id, email: u.email, name: u.name, verified: u.verified });

/**
 * `verifyPassword` is the admin client's password check (pocketbase/admin-client.ts): it signs
 * the member in on a throwaway client, never on the superuser's.
 */
export function createPbAccountStore(pb: PocketBase, verifyPassword: (email: string, password: string) => Promise<{ id: string } | null>): AccountStore {
  const users = () => pb.collection('users');
  const read = async (id: string) => {
    try {
      return member(await users().getOne<UserRow>(id, { fields: 'id,email,name,verified' }));
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  };
  return {
    async checkPassword(email, password) {
      const ok = await verifyPassword(email, password);
      return ok ? read(ok.id) : null;
    },
    member: read,
    async confirmVerification(token) {
      try {
        await users().confirmVerification(token);
        return true;
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) return false;
        throw e;
      }
    },
    async register(input) {
      try {
        await users().create({
          email: input.email,
          password: input.password,
          passwordConfirm: input.password,
          name: input.name,
          emailVisibility: false,
          verified: false,
        });
        return { created: true };
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) {
          return { created: false, fields: Object.keys((e.data as { data?: object })?.data ?? {}) };
        }
        throw e;
      }
    },
    async requestVerification(email) {
      await users().requestVerification(email);
    },
    async requestPasswordReset(email) {
      await users().requestPasswordReset(email);
    },
    async resetPassword(token, password) {
      try {
        await users().confirmPasswordReset(token, password, password);
        return true;
      } catch (e) {
        if (e instanceof ClientResponseError && e.status === 400) return false;
        throw e;
      }
    },
    async rename(id, name) {
      const u = await users().update<UserRow>(id, { name }, { fields: 'id,email,name,verified' });
      return { id: u.id, email: u.email, name: u.name, verified: u.verified };
    },
    async erase(member) {
      const deleteKeyed = async () => {
        for (const { collection, field, keys } of keyedRows(member)) {
          const filter = keys.map((key) => pb.filter(`${field} = {:key}`, { key })).join(' || ');
          for (;;) {
            const rows = await pb.collection(collection).getList<{ id: string }>(1, 200, { filter, fields: 'id', skipTotal: true });
            if (rows.items.length === 0) break;
            // One by one, tolerating rows another process deleted meanwhile (an expired lease).
            for (const r of rows.items) {
              await pb
                .collection(collection)
                .delete(r.id)
                .catch((e: unknown) => {
                  if (!isNotFound(e)) throw e;
                });
            }
          }
        }
      };
      // Keyed rows first: if this process dies before the account is gone, the member can
      // simply delete again. Then the account (its sessions go with it, so no request of the
      // member's writes a keyed row after), then once more for rows written in between.
      await deleteKeyed();
      try {
        await users().delete(member.id);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      await deleteKeyed();
    },
  };
}
