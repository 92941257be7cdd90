import { DEFAULT_STRAP_PREFS, type HubRow, type HubStore, type StrapPrefs, type StrapRow } from './store';

/** HubStore in memory, for unit tests. Copies in and out, as PocketBase would. */
export function createMemoryHubStore(deps: { now?: () => number; newId?: () => string } = {}): HubStore {
  const now = deps.now ?? Date.now;
  let seq = 0;
  const newId = deps.newId ?? (() => `h${(++seq).toString(36).padStart(14, '0')}`);
  const stamp = () => new Date(now()).toISOString();
  const hubs = new Map<string, HubRow>();
  const pairingClaims = new Set<string>();
  const strapClaims = new Map<string, string>();
  const straps = new Map<string, StrapRow>();
  const prefs = new Map<string, StrapPrefs>();
  const noted = new Map<string, { key: string; contestedAt: number }>();
  const copy = <T>(v: T): T => structuredClone(v);

  return {
    newId,
    async createHub({ id, room, name, tokenHash, pairingCodeHash, pairingExpires }) {
      const row: HubRow = { id, room, name, token_hash: tokenHash, pairing_code_hash: pairingCodeHash, pairing_expires: pairingExpires, created: stamp() };
      hubs.set(id, row);
      return copy(row);
    },
    async hub(id) {
      const h = hubs.get(id);
      return h ? copy(h) : null;
    },
    async hubByPairingHash(hash) {
      const h = [...hubs.values()].find((x) => x.pairing_code_hash === hash && hash !== '');
      return h ? copy(h) : null;
    },
    async hubsOf(roomId) {
      return [...hubs.values()].filter((h) => h.room === roomId).map(copy);
    },
    async deleteHub(id) {
      return hubs.delete(id);
    },
    async claimPairing(hub, tokenHash) {
      const h = hubs.get(hub.id);
      if (!hub.pairing_code_hash || !h || pairingClaims.has(hub.pairing_code_hash)) return false;
      pairingClaims.add(hub.pairing_code_hash);
      Object.assign(h, { token_hash: tokenHash, pairing_code_hash: '', pairing_expires: 0 });
      return true;
    },
    async claimStrap(participantId, deviceId) {
      const current = strapClaims.get(participantId);
      if (current !== undefined) return current === deviceId ? 'ok' : 'taken';
      strapClaims.set(participantId, deviceId);
      return 'ok';
    },
    async strapClaims(ids) {
      return new Map(ids.flatMap((id) => (strapClaims.has(id) ? [[id, strapClaims.get(id)!] as const] : [])));
    },
    async releaseStrapClaim(participantId, deviceId) {
      const current = strapClaims.get(participantId);
      if (current === undefined || (deviceId !== null && current !== deviceId)) return false;
      strapClaims.delete(participantId);
      const n = noted.get(participantId);
      if (n) n.contestedAt = 0;
      return true;
    },
    async noteStrap(participantId, key) {
      if (!noted.has(participantId)) noted.set(participantId, { key, contestedAt: 0 });
    },
    async contestStrap(participantId, at) {
      const n = noted.get(participantId);
      if (n) n.contestedAt = at;
    },
    async strapsOfParticipants(ids) {
      return new Map(ids.flatMap((id) => (noted.has(id) ? [[id, copy(noted.get(id)!)] as const] : [])));
    },
    async strapOwners(keys) {
      return new Map(keys.flatMap((k) => (straps.has(k) ? [[k, straps.get(k)!.user] as const] : [])));
    },
    async registerStrap(userId, key) {
      const row = straps.get(key);
      if (row) return row.user === userId ? 'ok' : 'taken';
      straps.set(key, { key, user: userId, created: stamp() });
      return 'ok';
    },
    async releaseStrap(userId, key) {
      if (straps.get(key)?.user !== userId) return false;
      return straps.delete(key);
    },
    async strapsOf(userId) {
      return [...straps.values()].filter((s) => s.user === userId).map(copy);
    },
    async strapOwner(key) {
      return straps.get(key)?.user ?? null;
    },
    async prefs(userId) {
      return copy(prefs.get(userId) ?? DEFAULT_STRAP_PREFS);
    },
    async setPrefs(userId, p) {
      prefs.set(userId, copy(p));
      return copy(p);
    },
  };
}
