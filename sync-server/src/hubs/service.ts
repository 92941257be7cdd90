import { createHash } from 'node:crypto';
import { displayLinkState, strapLabel, type ParticipantView } from '../../../core/rooms';
import type { AssignStrapInput, StrapConflict } from '../../../core/api/hubs';
import { retryAfterSec, type Limiter } from '../auth/limiter';
import { AppError } from '../http/errors';
import type { LiveBus } from '../live/bus';
import { isWellFormedCode, newCode, newToken, normalizeCode, secretMatches, sha256, splitToken } from '../rooms/credentials';
import type { RoomService } from '../rooms/service';
import { participantView, type ParticipantFields, type ParticipantRow, type RoomStore } from '../rooms/store';
import type { HubRow, HubStore, StrapPrefs } from './store';

/**
 * The room hub (issue 15): a gym device that carries many straps into a room over one live
 * socket. A hub is a room credential like a display: created by a coach (a link with its token
 * and a one-time pairing code), listed with its live link's state, revoked by deleting it (every
 * process re-checks its hub sockets at once: the bus's `reauthorize` for role `hub`).
 *
 * Each strap a hub hears is one participant of the hub's room, found again by a device id made
 * of the hub and the strap (so a name the coach gives is remembered for that hub): a member who
 * registered the strap and opted in joins with their profile, anyone else is "Strap 4821" until
 * the coach names them. A phone without Bluetooth says "I am Strap 4821" with the room's code:
 * one phone per strap participant, and it then sees only its own tile (the participant role).
 */
export interface HubServiceDeps {
  hubs: HubStore;
  store: RoomStore;
  rooms: Pick<RoomService, 'coachRoom'>;
  bus: LiveBus;
  limiter: Limiter;
  now: () => number;
  pairingTtlMs: number;
  limits: { pairingAttemptsPerAddress: number; codeAttemptsPerDevice: number; joinsPerAddress: number };
  newCode?: () => string;
}

const MINUTE = 60_000;
const CAS_ATTEMPTS = 5;
const STRAP_DEVICE_PREFIX = 'hub_';

/** The participant's device id for a strap heard by a hub: `hub_<hub id>_<32 hex of the key's hash>` (fits the column's pattern). */
export const strapDeviceId = (hubId: string, strapKey: string) => `${STRAP_DEVICE_PREFIX}${hubId}_${createHash('sha256').update(strapKey).digest('hex').slice(0, 32)}`;
/** The hub behind a strap participant, or null for a phone's participant. */
export const hubOfDevice = (deviceId: string) => (deviceId.startsWith(STRAP_DEVICE_PREFIX) ? deviceId.slice(STRAP_DEVICE_PREFIX.length, STRAP_DEVICE_PREFIX.length + 15) : null);

export function hubView(h: HubRow, now: number, seen: ReadonlyMap<string, { seenAt: number }> = new Map()) {
  const pairingPending = !!h.pairing_code_hash && h.pairing_expires > now;
  return { id: h.id, name: h.name, created: h.created, pairingPending, state: displayLinkState({ displayId: h.id, seen, pairingPending, now }) };
}

export function createHubService(deps: HubServiceDeps) {
  const { hubs, store, bus, now, limits } = deps;
  const drawCode = deps.newCode ?? newCode;
  const noRoom = () => new AppError('not_found', 'No room with this code.');

  async function limit(key: string, max: number, message: string) {
    const v = await deps.limiter.consume(key, max, MINUTE, now());
    if (!v.ok) throw new AppError('rate_limited', message, { retryAfterSec: retryAfterSec(v.retryAfterMs) });
  }

  /** A phone with the room's code: the same slots as joining (rooms/service.ts RoomLimits), taken before the lookup. */
  async function roomByCode(address: string, deviceId: string, codeInput: string) {
    await limit(`join-addr:${address}`, limits.joinsPerAddress, 'Too many joins from this network. Try again in a minute.');
    await limit(`join-dev:${deviceId}`, limits.codeAttemptsPerDevice, 'Too many attempts from this device. Try again in a minute.');
    const code = normalizeCode(codeInput);
    const room = isWellFormedCode(code) ? await store.roomByCode(code) : null;
    if (!room) throw noRoom();
    return room;
  }

  /** Active participants of the room carried by a hub. */
  async function strapParticipants(roomId: string) {
    return (await store.activeParticipants(roomId)).filter((p) => hubOfDevice(p.device_id) !== null);
  }

  async function memberFields(userId: string, prefs: StrapPrefs): Promise<Partial<ParticipantFields>> {
    const member = await store.member(userId);
    const p = prefs.profile;
    return { name: member?.name || 'Member', user: userId, age: p.age ?? 0, sex: p.sex ?? '', weight_kg: p.weightKg ?? 0, max_hr: p.maxHr ?? 0, resting_hr: p.restingHr ?? 0 };
  }

  /** The strap's registered member, when they opted in to joining automatically. */
  async function optedInOwner(strapKey: string): Promise<{ userId: string; prefs: StrapPrefs } | null> {
    const owner = await hubs.strapOwner(strapKey);
    if (!owner) return null;
    const prefs = await hubs.prefs(owner);
    return prefs.autoJoin ? { userId: owner, prefs } : null;
  }

  /** A new token for the strap's participant (the released phone's stops working) and its sockets re-checked at once. */
  async function cutOffPhone(p: ParticipantRow) {
    for (let attempt = 0, row = p; attempt < CAS_ATTEMPTS; attempt++) {
      const updated = await store.updateParticipant(row, { token_hash: newToken(p.id).hash });
      if (updated !== 'lost') break;
      const again = await store.participant(p.id);
      if (!again) break;
      row = again;
    }
    bus.publish(p.room, { type: 'reauthorize', role: 'participant' });
  }

  return {
    async createHub(roomId: string, userId: string, name: string) {
      await deps.rooms.coachRoom(roomId, userId);
      const pairingCode = drawCode();
      const pairingExpiresAt = now() + deps.pairingTtlMs;
      const id = hubs.newId();
      const { token, hash } = newToken(id);
      const row = await hubs.createHub({ id, room: roomId, name, tokenHash: hash, pairingCodeHash: sha256(pairingCode), pairingExpires: pairingExpiresAt });
      return { hub: hubView(row, now()), token, pairingCode, pairingExpiresAt };
    },

    async listHubs(roomId: string, userId: string) {
      await deps.rooms.coachRoom(roomId, userId);
      const [rows, seen] = await Promise.all([hubs.hubsOf(roomId), bus.recall(roomId)]);
      const t = now();
      return rows.map((h) => hubView(h, t, seen));
    },

    /** Deleted, then every process re-checks its hub sockets of the room against the store: cut off at once. */
    async revokeHub(roomId: string, userId: string, hubId: string) {
      await deps.rooms.coachRoom(roomId, userId);
      const h = await hubs.hub(hubId);
      if (!h || h.room !== roomId) throw new AppError('not_found', 'No such hub.');
      await hubs.deleteHub(h.id);
      bus.publish(roomId, { type: 'reauthorize', role: 'hub' });
    },

    /** The gym device types the pairing code: its own token; the link's token stops working. */
    async pairHub(address: string, codeInput: string) {
      const code = normalizeCode(codeInput);
      await limit(`pair-addr:${address}`, limits.pairingAttemptsPerAddress, 'Too many wrong codes. Try again in a minute.');
      const h = isWellFormedCode(code) ? await hubs.hubByPairingHash(sha256(code)) : null;
      if (!h || h.pairing_expires <= now()) throw new AppError('not_found', 'No hub with this code.');
      const { token, hash } = newToken(h.id);
      if (!(await hubs.claimPairing(h, hash))) throw new AppError('not_found', 'No hub with this code.');
      bus.publish(h.room, { type: 'reauthorize', role: 'hub' });
      return { roomId: h.room, hubId: h.id, token };
    },

    async authenticateHub(roomId: string, token: string): Promise<HubRow | null> {
      const t = splitToken(token);
      if (!t) return null;
      const h = await hubs.hub(t.id);
      return h && h.room === roomId && secretMatches(t.secret, h.token_hash) ? h : null;
    },

    /**
     * The participant a strap heard by this hub is, created on first hearing: the registered
     * member if they opted in (with their profile), else "Strap 4821". A guest strap whose
     * member opts in later becomes theirs (unless the coach named it). null when the coach
     * removed it. `announce`: new or back, screens must hear of it.
     */
    async strapParticipant(hub: HubRow, strapKey: string): Promise<{ row: ParticipantRow; announce: boolean } | null> {
      const deviceId = strapDeviceId(hub.id, strapKey);
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const existing = await store.participantByDevice(hub.room, deviceId);
        if (existing) {
          if (existing.status === 'removed') return null;
          let patch: Partial<ParticipantFields> = existing.status === 'left' ? { status: 'active' } : {};
          if (!existing.user && existing.name === strapLabel(strapKey)) {
            const owner = await optedInOwner(strapKey);
            if (owner) patch = { ...patch, ...(await memberFields(owner.userId, owner.prefs)) };
          }
          if (Object.keys(patch).length === 0) return { row: existing, announce: false };
          const row = await store.updateParticipant(existing, patch);
          if (row === null) return null;
          if (row === 'lost') continue;
          return { row, announce: true };
        }
        const owner = await optedInOwner(strapKey);
        const fields = owner
          ? await memberFields(owner.userId, owner.prefs)
          : { name: strapLabel(strapKey), user: '', age: 0, sex: '', weight_kg: 0, max_hr: 0, resting_hr: 0 };
        const id = store.newId();
        const row = await store.createParticipant({
          id,
          room: hub.room,
          deviceId,
          joinedAt: now(),
          name: fields.name!,
          user: fields.user ?? '',
          age: fields.age ?? 0,
          sex: fields.sex ?? '',
          weight_kg: fields.weight_kg ?? 0,
          max_hr: fields.max_hr ?? 0,
          resting_hr: fields.resting_hr ?? 0,
          unranked: false,
          // No phone holds a token until one claims the strap (claimStrap).
          token_hash: newToken(id).hash,
          status: 'active',
        });
        if (row !== 'exists') {
          // The key behind the participant, for the coach's conflicts (listStraps).
          await hubs.noteStrap(row.id, strapKey);
          return { row, announce: true };
        }
      }
      throw new AppError('conflict', 'The room is busy. Try again.');
    },

    /**
     * The coach's view of the straps hubs carry into the room, with each strap's conflicts
     * (STRAP_CONFLICTS): registered to a member who has not opted in, named as a guest though a
     * member registered it, registered to another member than the one it joined as, or another
     * phone tried to claim it while one follows it.
     */
    async listStraps(roomId: string, userId: string) {
      await deps.rooms.coachRoom(roomId, userId);
      const rows = await strapParticipants(roomId);
      const ids = rows.map((r) => r.id);
      const [claims, noted] = await Promise.all([hubs.strapClaims(ids), hubs.strapsOfParticipants(ids)]);
      const owners = await hubs.strapOwners([...new Set([...noted.values()].map((n) => n.key))]);
      const optedIn = new Map<string, boolean>();
      for (const owner of new Set(owners.values())) optedIn.set(owner, (await hubs.prefs(owner)).autoJoin);
      return rows.map((r) => {
        const n = noted.get(r.id);
        const owner = n ? owners.get(n.key) : undefined;
        const conflicts: StrapConflict[] = [];
        if (n && owner && !r.user) conflicts.push(r.name !== strapLabel(n.key) ? 'named_guest_registered' : optedIn.get(owner) ? 'member_not_joined' : 'owner_not_opted_in');
        if (n && owner && r.user && owner !== r.user) conflicts.push('registered_to_other_member');
        if (claims.has(r.id) && (n?.contestedAt ?? 0) > 0) conflicts.push('claim_contested');
        return { participant: participantView(r), hubId: hubOfDevice(r.device_id)!, claimed: claims.has(r.id), key: n?.key ?? null, conflicts };
      });
    },

    /** The coach lets go of the phone that follows a strap: its token stops working at once, and another phone may claim it. */
    async releaseStrapClaim(roomId: string, userId: string, participantId: string) {
      await deps.rooms.coachRoom(roomId, userId);
      const p = await store.participant(participantId);
      if (!p || p.room !== roomId || hubOfDevice(p.device_id) === null) throw new AppError('not_found', 'No such strap in this room.');
      if (!(await hubs.releaseStrapClaim(p.id, null))) throw new AppError('not_found', 'No phone follows this strap.');
      await cutOffPhone(p);
    },

    /** The phone that said "I am Strap 4821" lets go of it (its token stops working). */
    async releaseMyStrap(address: string, input: { code: string; deviceId: string; participantId: string }) {
      const room = await roomByCode(address, input.deviceId, input.code);
      const p = await store.participant(input.participantId);
      if (!p || p.room !== room.id || hubOfDevice(p.device_id) === null) throw new AppError('not_found', 'No such strap in this room.');
      if (!(await hubs.releaseStrapClaim(p.id, input.deviceId))) throw new AppError('not_found', 'This phone does not follow this strap.');
      await cutOffPhone(p);
    },

    /** A guest's name (and optionally age, sex, weight, HRmax) for a strap, in one step; kept on the participant, so remembered for that hub. */
    async assignStrap(roomId: string, userId: string, participantId: string, input: AssignStrapInput): Promise<ParticipantView> {
      await deps.rooms.coachRoom(roomId, userId);
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const p = await store.participant(participantId);
        if (!p || p.room !== roomId || p.status !== 'active' || hubOfDevice(p.device_id) === null) throw new AppError('not_found', 'No such strap in this room.');
        if (p.user) throw new AppError('conflict', 'This strap is a member’s: their profile names them.');
        const patch: Partial<ParticipantFields> = { name: input.name, age: input.age ?? 0, sex: input.sex ?? '', weight_kg: input.weightKg ?? 0, max_hr: input.maxHr ?? 0 };
        const row = await store.updateParticipant(p, patch);
        if (row === 'lost') continue;
        if (row === null) throw new AppError('not_found', 'No such strap in this room.');
        const participant = participantView(row);
        bus.publish(roomId, { type: 'participant', participant, seenAt: Math.max(row.last_seen, row.joined_at) });
        return participant;
      }
      throw new AppError('conflict', 'The room is busy. Try again.');
    },

    /** A phone with the room's code: the straps it may say it wears (not claimed by another phone). */
    async strapsForPhone(address: string, userId: string | null, codeInput: string, deviceId: string) {
      const room = await roomByCode(address, deviceId, codeInput);
      const rows = (await strapParticipants(room.id)).filter((r) => !r.user || r.user === userId);
      const claims = await hubs.strapClaims(rows.map((r) => r.id));
      const straps = rows
        .filter((r) => !claims.has(r.id) || claims.get(r.id) === deviceId)
        .map((r) => ({ participantId: r.id, name: r.name, mine: claims.get(r.id) === deviceId || (!!userId && r.user === userId) }));
      return { room: { id: room.id, name: room.name }, straps };
    },

    /**
     * "I am Strap 4821": the phone gets a participant token for the strap's participant (and
     * then sees only its own tile). One phone per strap (the first to claim it); a member's
     * strap only by that member.
     */
    async claimStrap(address: string, userId: string | null, input: { code: string; deviceId: string; participantId: string }) {
      const room = await roomByCode(address, input.deviceId, input.code);
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const p = await store.participant(input.participantId);
        if (!p || p.room !== room.id || p.status !== 'active' || hubOfDevice(p.device_id) === null) throw new AppError('not_found', 'No such strap in this room.');
        if (p.user && p.user !== userId) throw new AppError('forbidden', 'This strap is another member’s.');
        if ((await hubs.claimStrap(p.id, input.deviceId)) === 'taken') {
          // The coach sees it (listStraps: claim_contested) and can release the first phone.
          await hubs.contestStrap(p.id, now());
          throw new AppError('strap_claimed', 'Another phone already follows this strap. Ask the coach.');
        }
        const { token, hash } = newToken(p.id);
        const row = await store.updateParticipant(p, { token_hash: hash });
        if (row === 'lost') continue;
        if (row === null) throw new AppError('not_found', 'No such strap in this room.');
        return { room: { id: room.id, name: room.name }, participant: participantView(row), token };
      }
      throw new AppError('conflict', 'The room is busy. Try again.');
    },

    // The strap registry.

    async myStraps(userId: string) {
      const [straps, prefs] = await Promise.all([hubs.strapsOf(userId), hubs.prefs(userId)]);
      return { straps: straps.map((s) => ({ key: s.key, created: s.created })), autoJoin: prefs.autoJoin, profile: prefs.profile };
    },

    async registerStrap(userId: string, key: string) {
      if ((await hubs.registerStrap(userId, key)) === 'taken') {
        throw new AppError('strap_taken', 'Another member registered this strap. They must release it first.');
      }
    },

    async releaseStrap(userId: string, key: string) {
      if (!(await hubs.releaseStrap(userId, key))) throw new AppError('not_found', 'You have not registered this strap.');
    },

    async setStrapPrefs(userId: string, prefs: StrapPrefs) {
      return hubs.setPrefs(userId, prefs);
    },
  };
}

export type HubService = ReturnType<typeof createHubService>;
