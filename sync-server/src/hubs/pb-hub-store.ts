import type PocketBase from 'pocketbase';
import { isUniqueViolation } from '../auth/pb-limiter';
import { isNotFound } from '../pocketbase/admin-client';
import { newRecordId, pbRecords } from '../rooms/pb-store-support';
import { isRecordId } from '../rooms/store';
import { DEFAULT_STRAP_PREFS, type HubRow, type HubStore, type StrapPrefs, type StrapProfile, type StrapRow } from './store';

/**
 * HubStore over PocketBase (pb_migrations/1763902400_room_hubs.js). A pairing code is claimed
 * once through room_hub_claims (unique code hash) in the batch that stores the hub's token; a
 * strap participant is claimed once through room_strap_claims (unique participant); a strap key
 * belongs to one member through straps (unique key).
 */
type PbStrap = { id: string; user: string; strap_key: string; created: string };
type PbPrefs = { id: string; user: string; auto_join: boolean; profile: StrapProfile | null };

const hubRow = (h: HubRow): HubRow => ({
  id: h.id,
  room: h.room,
  name: h.name,
  token_hash: h.token_hash,
  pairing_code_hash: h.pairing_code_hash ?? '',
  pairing_expires: h.pairing_expires ?? 0,
  created: h.created,
});
const strapRow = (s: PbStrap): StrapRow => ({ key: s.strap_key, user: s.user, created: s.created });

export function createPbHubStore(pb: PocketBase, deps: { newId?: () => string } = {}): HubStore {
  const newId = deps.newId ?? newRecordId;
  const records = pbRecords(pb);
  const { col, getOne, first, deleteIfExists } = records;
  /** Every row of `collection` whose `field` is one of `values`, 50 values a request. */
  const anyOf = async <T>(collection: string, field: string, values: readonly string[]): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < values.length; i += 50) {
      const chunk = values.slice(i, i + 50);
      const params = Object.fromEntries(chunk.map((v, j) => [`v${j}`, v]));
      out.push(...(await col(collection).getFullList<T>({ filter: pb.filter(chunk.map((_, j) => `${field} = {:v${j}}`).join(' || '), params) })));
    }
    return out;
  };
  type PbHubStrap = { id: string; participant: string; strap_key: string; contested_at: number };

  const store: HubStore = {
    newId,
    async createHub({ id, room, name, tokenHash, pairingCodeHash, pairingExpires }) {
      return hubRow(await col('room_hubs').create<HubRow>({ id, room, name, token_hash: tokenHash, pairing_code_hash: pairingCodeHash, pairing_expires: pairingExpires }));
    },
    async hub(id) {
      const h = await getOne<HubRow>('room_hubs', id);
      return h ? hubRow(h) : null;
    },
    async hubByPairingHash(hash) {
      if (!hash) return null;
      const h = await first<HubRow>('room_hubs', pb.filter('pairing_code_hash = {:hash}', { hash }));
      return h ? hubRow(h) : null;
    },
    async hubsOf(roomId) {
      return (await col('room_hubs').getFullList<HubRow>({ filter: pb.filter('room = {:roomId}', { roomId }), sort: 'created,id' })).map(hubRow);
    },
    deleteHub: async (id) => isRecordId(id) && (await deleteIfExists('room_hubs', id)),
    claimPairing: (hub, tokenHash) => records.claimPairing({ devices: 'room_hubs', claims: 'room_hub_claims', claimField: 'hub' }, hub, tokenHash),

    async claimStrap(participantId, deviceId) {
      try {
        await col('room_strap_claims').create({ participant: participantId, device_id: deviceId });
        return 'ok';
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      const current = await first<{ device_id: string }>('room_strap_claims', pb.filter('participant = {:p}', { p: participantId }));
      return current?.device_id === deviceId ? 'ok' : 'taken';
    },
    async strapClaims(ids) {
      const out = new Map<string, string>();
      const valid = ids.filter(isRecordId);
      for (let i = 0; i < valid.length; i += 50) {
        const chunk = valid.slice(i, i + 50);
        const params = Object.fromEntries(chunk.map((id, j) => [`p${j}`, id]));
        const filter = pb.filter(chunk.map((_, j) => `participant = {:p${j}}`).join(' || '), params);
        for (const c of await col('room_strap_claims').getFullList<{ participant: string; device_id: string }>({ filter })) out.set(c.participant, c.device_id);
      }
      return out;
    },

    async releaseStrapClaim(participantId, deviceId) {
      if (!isRecordId(participantId)) return false;
      const claim = await first<{ id: string; device_id: string }>('room_strap_claims', pb.filter('participant = {:p}', { p: participantId }));
      if (!claim || (deviceId !== null && claim.device_id !== deviceId)) return false;
      if (!(await deleteIfExists('room_strap_claims', claim.id))) return false;
      const noted = await first<PbHubStrap>('room_hub_straps', pb.filter('participant = {:p}', { p: participantId }));
      if (noted?.contested_at) await col('room_hub_straps').update(noted.id, { contested_at: 0 });
      return true;
    },
    async noteStrap(participantId, key) {
      try {
        await col('room_hub_straps').create({ participant: participantId, strap_key: key, contested_at: 0 });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    },
    async contestStrap(participantId, at) {
      const noted = await first<PbHubStrap>('room_hub_straps', pb.filter('participant = {:p}', { p: participantId }));
      if (noted) await col('room_hub_straps').update(noted.id, { contested_at: at });
    },
    async strapsOfParticipants(ids) {
      const rows = await anyOf<PbHubStrap>('room_hub_straps', 'participant', ids.filter(isRecordId));
      return new Map(rows.map((r) => [r.participant, { key: r.strap_key, contestedAt: r.contested_at ?? 0 }]));
    },
    async strapOwners(keys) {
      const rows = await anyOf<PbStrap>('straps', 'strap_key', keys);
      return new Map(rows.map((r) => [r.strap_key, r.user]));
    },
    async registerStrap(userId, key) {
      try {
        await col('straps').create({ user: userId, strap_key: key });
        return 'ok';
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      return (await store.strapOwner(key)) === userId ? 'ok' : 'taken';
    },
    async releaseStrap(userId, key) {
      const row = await first<PbStrap>('straps', pb.filter('strap_key = {:key} && user = {:userId}', { key, userId }));
      if (!row) return false;
      return deleteIfExists('straps', row.id);
    },
    async strapsOf(userId) {
      return (await col('straps').getFullList<PbStrap>({ filter: pb.filter('user = {:userId}', { userId }), sort: 'created,id' })).map(strapRow);
    },
    async strapOwner(key) {
      return (await first<PbStrap>('straps', pb.filter('strap_key = {:key}', { key })))?.user ?? null;
    },
    async prefs(userId) {
      const row = await first<PbPrefs>('strap_prefs', pb.filter('user = {:userId}', { userId }));
      return row ? { autoJoin: row.auto_join, profile: row.profile ?? {} } : structuredClone(DEFAULT_STRAP_PREFS);
    },
    async setPrefs(userId, prefs: StrapPrefs) {
      const body = { user: userId, auto_join: prefs.autoJoin, profile: prefs.profile };
      // One writer (the member); a create racing another create of the same member updates instead.
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await first<PbPrefs>('strap_prefs', pb.filter('user = {:userId}', { userId }));
        try {
          if (row) await col('strap_prefs').update(row.id, body);
          else await col('strap_prefs').create(body);
          return structuredClone(prefs);
        } catch (e) {
          if (!isUniqueViolation(e) && !isNotFound(e)) throw e;
        }
      }
      throw new Error('strap prefs: no stable write after 3 attempts');
    },
  };
  return store;
}
