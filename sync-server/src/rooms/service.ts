import { applyTimerCommand, displayLinkState, initialsOf, type DisplayLinkState, type JoinInput, type ParticipantView, type TileSortMode, type TimerCommandName } from '../../../core/rooms';
import { createTimer, type Plan, type TimerRejection, type TimerState } from '../../../core/workout';
import { retryAfterSec, type Limiter } from '../auth/limiter';
import { AppError } from '../http/errors';
import type { LiveBus } from '../live/bus';
import { createCoCoaches } from './co-coaches';
import { isWellFormedCode, newCode, newToken, normalizeCode, secretMatches, sha256, splitToken } from './credentials';
import { participantView, type DisplayRow, type ParticipantFields, type ParticipantRow, type RoomRow, type RoomStore } from './store';
import type { TimerStore } from './timer-store';

/**
 * Class-mode rules over the room stores: who may see and run a room, co-coach invitations
 * (co-coaches.ts), joining, displays and the timer. Access problems are AppErrors with stable codes (mapped to
 * HTTP once, in app.ts); another member's room is `not_found`, never `forbidden`, so room ids
 * reveal nothing. Every change that screens must see is published on the live bus.
 */
export interface RoomServiceDeps {
  store: RoomStore;
  timers: TimerStore;
  bus: LiveBus;
  limiter: Limiter;
  now: () => number;
  limits: RoomLimits;
  pairingTtlMs: number;
  /** A fresh join or pairing code (credentials.ts); a parameter so tests can force collisions. */
  newCode?: () => string;
  random?: () => number;
}

/**
 * Guessing a join code. Codes are 8 of 32 symbols = 2^40 ≈ 1.1e12. Every code check takes a
 * slot of the client address (`joinsPerAddress`, default 240/min, sized for a class of 60
 * behind one NAT address joining up to four times a minute each) and of the device id
 * (`codeAttemptsPerDevice`, ROOM_CODE_ATTEMPTS_PER_MINUTE, default 10/min), both BEFORE the code
 * is looked up, so parallel requests cannot check more. Someone typing wrong codes on one phone
 * therefore locks only that phone; the rest of the gym keeps joining. An attacker who invents a
 * new device id per try is held by the address limit: at 240 checks a minute, hitting one live
 * room takes 2^40 / 2 / 240 min ≈ 2.3e9 min ≈ 4 400 years on average from one address, and
 * 4.4 years against 1 000 live rooms at once (linear in addresses × live rooms: 1 000
 * addresses against 1 000 rooms ≈ 1.6 days, which is why the coach can rotate a code and a
 * room admits at most `joinsPerRoom` joins a minute).
 */
export interface RoomLimits {
  codeAttemptsPerDevice: number;
  joinsPerAddress: number;
  joinsPerRoom: number;
  /** Pairing-code checks per client address per minute (a display has no device id). */
  pairingAttemptsPerAddress: number;
  /** Co-coach invitations an owner may send per hour. */
  invitationsPerOwnerPerHour: number;
}

export const DEFAULT_ROOM_LIMITS: Omit<RoomLimits, 'codeAttemptsPerDevice' | 'pairingAttemptsPerAddress'> = {
  joinsPerAddress: 240,
  joinsPerRoom: 240,
  invitationsPerOwnerPerHour: 20,
};

export interface CoachRoom {
  id: string;
  name: string;
  joinCode: string;
  ownerId: string;
  isOwner: boolean;
  coCoaches: Array<{ id: string; name: string }>;
  /** The tile order on every screen of the room. */
  tileSort: TileSortMode;
  created: string;
}

export type { JoinInput };

export type TimerOutcome = { ok: true; state: TimerState } | { ok: false; code: TimerRejection | 'conflict'; state: TimerState };

/** Compare-and-set attempts before a write answers `conflict` (each retry re-reads). */
const CAS_ATTEMPTS = 5;
const MINUTE = 60_000;

/** `seen`: the room's presence memos from the bus (core/rooms/display-link.ts); the screen's link state comes from them. */
export function displayView(d: DisplayRow, now: number, seen: ReadonlyMap<string, { seenAt: number }> = new Map()) {
  const pairingPending = !!d.pairing_code_hash && d.pairing_expires > now;
  const state: DisplayLinkState = displayLinkState({ displayId: d.id, seen, pairingPending, now });
  return { id: d.id, name: d.name, created: d.created, pairingPending, state };
}

export function createRoomService(deps: RoomServiceDeps) {
  const { store, bus, now, limits } = deps;
  const drawCode = deps.newCode ?? newCode;
  const random = deps.random ?? Math.random;
  const notFound = () => new AppError('not_found', 'No such room.');

  const isCoach = (row: RoomRow, userId: string) => row.owner === userId || row.coaches.includes(userId);

  async function coachRoom(roomId: string, userId: string, ownerOnly = false): Promise<RoomRow> {
    const row = await store.room(roomId);
    if (!row || !isCoach(row, userId)) throw notFound();
    if (ownerOnly && row.owner !== userId) throw new AppError('forbidden', 'Only the room’s owner can do this.');
    return row;
  }

  async function views(rows: RoomRow[], userId: string): Promise<CoachRoom[]> {
    const names = new Map((await store.members([...new Set(rows.flatMap((r) => r.coaches))])).map((m) => [m.id, m.name]));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      joinCode: row.join_code,
      ownerId: row.owner,
      isOwner: row.owner === userId,
      coCoaches: row.coaches.map((id) => ({ id, name: names.get(id) ?? '' })),
      tileSort: row.tile_sort,
      created: row.created,
    }));
  }
  const view = async (row: RoomRow, userId: string) => (await views([row], userId))[0]!;

  /** One atomic slot of `key` (auth/limiter.ts), or 429 with Retry-After. */
  async function limit(key: string, max: number, windowMs: number, message: string) {
    const v = await deps.limiter.consume(key, max, windowMs, now());
    if (!v.ok) throw new AppError('rate_limited', message, { retryAfterSec: retryAfterSec(v.retryAfterMs) });
  }

  /** Codes are unique: a collision (rare at 40 bits) draws again. */
  async function withUniqueCode<T>(write: (code: string) => Promise<T | 'code_taken'>): Promise<T> {
    for (let i = 0; i < 5; i++) {
      const r = await write(drawCode());
      if (r !== 'code_taken') return r;
    }
    throw new Error('no free join code after 5 draws');
  }

  const coCoaches = createCoCoaches({ store, bus, invitationsPerOwnerPerHour: limits.invitationsPerOwnerPerHour, coachRoom, view, limit });

  const publishRoom = (row: RoomRow) => bus.publish(row.id, { type: 'room', room: { id: row.id, name: row.name, joinCode: row.join_code, sort: row.tile_sort } });

  async function latestTimer(roomId: string): Promise<TimerState> {
    const state = await deps.timers.latest(roomId);
    if (!state) throw new Error(`room ${roomId} has no timer`);
    return state;
  }

  return {
    coachRoom,
    isCoach,
    latestTimer,
    view,

    async create(userId: string, name: string, plan: Plan) {
      const row = await withUniqueCode((code) => store.createRoom({ owner: userId, name, code }));
      await deps.timers.insert(row.id, createTimer(plan));
      return { room: await view(row, userId), timer: await latestTimer(row.id) };
    },

    async list(userId: string) {
      return views(await store.roomsOf(userId), userId);
    },

    async rename(roomId: string, userId: string, name: string) {
      await coachRoom(roomId, userId);
      const row = await store.renameRoom(roomId, name);
      if (!row) throw notFound();
      publishRoom(row);
      return view(row, userId);
    },

    async rotateCode(roomId: string, userId: string) {
      await coachRoom(roomId, userId);
      const row = await withUniqueCode((code) => store.setJoinCode(roomId, code));
      if (!row) throw notFound();
      publishRoom(row);
      return view(row, userId);
    },

    /**
     * The tile order of every screen of the room: a coach (owner or co-coach) of the room only.
     * Unlike the room's other coach actions, a member who is not (or no longer) a coach of an
     * existing room gets `forbidden`: this is a setting of a room they were told about.
     */
    async setTileSort(roomId: string, userId: string, mode: TileSortMode) {
      const current = await store.room(roomId);
      if (!current) throw notFound();
      if (!isCoach(current, userId)) throw new AppError('forbidden', 'Only the room’s coaches can change how its screens sort.');
      const row = await store.setTileSort(roomId, mode);
      if (!row) throw notFound();
      publishRoom(row);
      return view(row, userId);
    },

    async remove(roomId: string, userId: string) {
      await coachRoom(roomId, userId, true);
      await store.deleteRoom(roomId);
      bus.publish(roomId, { type: 'room-deleted' });
    },

    ...coCoaches,

    // Displays.

    async createDisplay(roomId: string, userId: string, name: string) {
      await coachRoom(roomId, userId);
      const pairingCode = drawCode();
      const pairingExpiresAt = now() + deps.pairingTtlMs;
      const id = store.newId();
      const { token, hash } = newToken(id);
      const row = await store.createDisplay({ id, room: roomId, name, tokenHash: hash, pairingCodeHash: sha256(pairingCode), pairingExpires: pairingExpiresAt });
      return { display: displayView(row, now()), token, pairingCode, pairingExpiresAt };
    },

    async listDisplays(roomId: string, userId: string) {
      await coachRoom(roomId, userId);
      const [rows, seen] = await Promise.all([store.displaysOf(roomId), bus.recall(roomId)]);
      const t = now();
      return rows.map((d) => displayView(d, t, seen));
    },

    async revokeDisplay(roomId: string, userId: string, displayId: string) {
      await coachRoom(roomId, userId);
      const d = await store.display(displayId);
      if (!d || d.room !== roomId) throw new AppError('not_found', 'No such display.');
      await store.deleteDisplay(d.id);
      bus.publish(roomId, { type: 'display-revoked', displayId: d.id });
    },

    /**
     * A gym browser types the pairing code: it gets its own display token and the link's token
     * stops working; screens opened through the link are re-checked (and closed) by the hub.
     */
    async pairDisplay(address: string, codeInput: string) {
      const code = normalizeCode(codeInput);
      await limit(`pair-addr:${address}`, limits.pairingAttemptsPerAddress, MINUTE, 'Too many wrong codes. Try again in a minute.');
      const d = isWellFormedCode(code) ? await store.displayByPairingHash(sha256(code)) : null;
      if (!d || d.pairing_expires <= now()) throw new AppError('not_found', 'No room with this code.');
      const { token, hash } = newToken(d.id);
      // Used once: of two browsers typing the same code at once, exactly one gets a token.
      if (!(await store.claimPairing(d, hash))) throw new AppError('not_found', 'No room with this code.');
      bus.publish(d.room, { type: 'reauthorize', role: 'display' });
      return { roomId: d.room, displayId: d.id, token };
    },

    async authenticateDisplay(roomId: string, token: string): Promise<DisplayRow | null> {
      const t = splitToken(token);
      if (!t) return null;
      const d = await store.display(t.id);
      return d && d.room === roomId && secretMatches(t.secret, d.token_hash) ? d : null;
    },

    // Participants.

    async join(address: string, userId: string | null, input: JoinInput) {
      const code = normalizeCode(input.code);
      // Both slots are taken before the code is looked up (see RoomLimits).
      await limit(`join-addr:${address}`, limits.joinsPerAddress, MINUTE, 'Too many joins from this network. Try again in a minute.');
      await limit(`join-dev:${input.deviceId}`, limits.codeAttemptsPerDevice, MINUTE, 'Too many attempts from this device. Try again in a minute.');
      const room = isWellFormedCode(code) ? await store.roomByCode(code) : null;
      if (!room) throw new AppError('not_found', 'No room with this code.');
      await limit(`join-room:${room.id}`, limits.joinsPerRoom, MINUTE, 'Too many joins to this room. Try again in a minute.');

      let name = input.name;
      if (userId && !name) name = (await store.member(userId))?.name || 'Member';
      if (!name) throw new AppError('invalid_body', 'name: required for guests');
      if (!userId && input.age === undefined) throw new AppError('invalid_body', 'age: required for guests');
      if (input.initialsOnly) name = initialsOf(name);
      const profile = { name, unranked: input.ranked === false, age: input.age ?? 0, sex: input.sex ?? '', weight_kg: input.weightKg ?? 0, max_hr: input.maxHr ?? 0, resting_hr: input.restingHr ?? 0, status: 'active' as const };
      const t = now();

      let result: { row: ParticipantRow; token: string } | null = null;
      for (let attempt = 0; attempt < CAS_ATTEMPTS && !result; attempt++) {
        const existing = await store.participantByDevice(room.id, input.deviceId);
        if (!existing) {
          // Two joins from one device at once: the unique (room, device) lets one create.
          const id = store.newId();
          const { token, hash } = newToken(id);
          const row = await store.createParticipant({ id, room: room.id, deviceId: input.deviceId, joinedAt: t, ...profile, user: userId ?? '', token_hash: hash });
          if (row !== 'exists') result = { row, token };
          continue;
        }
        if (existing.status === 'removed') throw new AppError('participant_removed', 'The coach removed you from this room.');
        // The device id is the participant; a member's tile is never taken over by someone else.
        if (existing.user && existing.user !== userId) throw new AppError('forbidden', 'This device joined as another member.');
        const { token, hash } = newToken(existing.id);
        const patch: Partial<ParticipantFields> = { ...profile, token_hash: hash, ...(userId ? { user: userId } : {}) };
        // Conditional on the version read above: a removal that lands first is never undone.
        const row = await store.updateParticipant(existing, patch);
        if (row === null || row === 'lost') continue;
        await store.touchParticipant(row.id, t);
        result = { row: { ...row, last_seen: t }, token };
      }
      if (!result) throw new AppError('conflict', 'The room is busy. Try again.');
      const participant = participantView(result.row);
      bus.remember(room.id, participant.id, { hr: null, seenAt: t, ...(await keepHr(room.id, participant.id)) });
      bus.publish(room.id, { type: 'participant', participant, seenAt: t });
      return { room: { id: room.id, name: room.name }, participant, token: result.token };
    },

    authenticateParticipant,

    async leave(roomId: string, token: string) {
      const p = await changeParticipant(
        () => authenticateParticipant(roomId, token),
        () => ({ status: 'left' }),
      );
      if (!p) throw new AppError('unauthenticated', 'Not a participant of this room.');
      bus.forget(roomId, p.id);
      bus.publish(roomId, { type: 'participant-left', participantId: p.id, reason: 'left' });
    },

    async listParticipants(roomId: string, userId: string): Promise<ParticipantView[]> {
      await coachRoom(roomId, userId);
      return (await store.activeParticipants(roomId)).map(participantView);
    },

    async removeParticipant(roomId: string, userId: string, participantId: string) {
      await coachRoom(roomId, userId);
      const p = await changeParticipant(
        async () => {
          const row = await store.participant(participantId);
          return row && row.room === roomId ? row : null;
        },
        // A fresh random hash too, so the old token is dead even for a check racing this write.
        () => ({ status: 'removed', token_hash: sha256(`removed:${random()}:${now()}`) }),
      );
      if (!p) throw new AppError('not_found', 'No such participant.');
      bus.forget(roomId, p.id);
      bus.publish(roomId, { type: 'participant-left', participantId: p.id, reason: 'removed' });
    },

    // Timer.

    /**
     * Applies a command at server time with compare-and-swap on the revision. With `ifRevision`
     * the caller's view must be current (else `conflict`); without, a lost race is retried on
     * the winner's state, so "pause" from two coaches pauses once and the second is told why.
     */
    async timerCommand(roomId: string, command: TimerCommandName, options: { plan?: Plan; ifRevision?: number } = {}): Promise<TimerOutcome> {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
        const current = await latestTimer(roomId);
        if (options.ifRevision !== undefined && options.ifRevision !== current.revision) return { ok: false, code: 'conflict', state: current };
        const result = applyTimerCommand(current, command, now(), options.plan);
        if (!result.ok) return result;
        if ((await deps.timers.insert(roomId, result.state)) === 'ok') {
          bus.publish(roomId, { type: 'timer', state: result.state });
          return result;
        }
      }
      return { ok: false, code: 'conflict', state: await latestTimer(roomId) };
    },
  };

  /** Read, then compare-and-set on the version read; a lost race reads again. */
  async function changeParticipant(read: () => Promise<ParticipantRow | null>, patch: () => Partial<ParticipantFields>) {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const p = await read();
      if (!p) return null;
      const r = await store.updateParticipant(p, patch());
      if (r === null) return null;
      if (r !== 'lost') return r;
    }
    throw new AppError('conflict', 'The room is busy. Try again.');
  }

  async function authenticateParticipant(roomId: string, token: string): Promise<ParticipantRow | null> {
    const t = splitToken(token);
    if (!t) return null;
    const p = await store.participant(t.id);
    return p && p.room === roomId && p.status === 'active' && secretMatches(t.secret, p.token_hash) ? p : null;
  }

  async function keepHr(roomId: string, participantId: string) {
    const memo = (await bus.recall(roomId)).get(participantId);
    return memo ? { hr: memo.hr } : {};
  }
}

export type RoomService = ReturnType<typeof createRoomService>;
