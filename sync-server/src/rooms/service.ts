import { ClientResponseError } from 'pocketbase';
import { applyTimerCommand, type JoinInput, type ParticipantView, type TimerCommandName } from '../../../core/rooms';
import { createTimer, type Plan, type TimerRejection, type TimerState } from '../../../core/workout';
import type { ThrottleStore } from '../auth/throttle';
import { AppError } from '../http/errors';
import type { LiveBus } from '../live/bus';
import { isWellFormedCode, newCode, newToken, normalizeCode, secretMatches, sha256, splitToken } from './credentials';
import { participantView, type DisplayRow, type ParticipantRow, type RoomRow, type RoomStore } from './store';
import type { TimerStore } from './timer-store';

/**
 * Class-mode rules over PocketBase: who may see and run a room, joining, displays and the timer.
 * Access problems are AppErrors with stable codes (mapped to HTTP once, in app.ts); another
 * member's room is `not_found`, never `forbidden`, so room ids reveal nothing.
 * Every change that screens must see is published on the live bus.
 */
export interface RoomServiceDeps {
  store: RoomStore;
  timers: TimerStore;
  bus: LiveBus;
  throttle: ThrottleStore;
  now: () => number;
  /** Wrong join/pairing codes allowed per client address per minute. */
  codeAttemptsPerMinute: number;
  pairingTtlMs: number;
}

export interface CoachRoom {
  id: string;
  name: string;
  joinCode: string;
  ownerId: string;
  isOwner: boolean;
  coCoaches: Array<{ id: string; name: string }>;
  created: string;
}

export type { JoinInput };

export type TimerOutcome = { ok: true; state: TimerState } | { ok: false; code: TimerRejection | 'conflict'; state: TimerState };

const CAS_ATTEMPTS = 5;

export function coachRoomView(row: RoomRow, userId: string): CoachRoom {
  return {
    id: row.id,
    name: row.name,
    joinCode: row.join_code,
    ownerId: row.owner,
    isOwner: row.owner === userId,
    coCoaches: (row.expand?.co_coaches ?? []).map((u) => ({ id: u.id, name: u.name })),
    created: row.created,
  };
}

export const displayView = (d: DisplayRow, now: number) => ({ id: d.id, name: d.name, created: d.created, pairingPending: !!d.pairing_code_hash && d.pairing_expires > now });

export function createRoomService(deps: RoomServiceDeps) {
  const { store, bus, now } = deps;
  const pb = store.pb;
  const notFound = () => new AppError('not_found', 'No such room.');

  const isCoach = (row: RoomRow, userId: string) => row.owner === userId || row.co_coaches.includes(userId);

  async function coachRoom(roomId: string, userId: string, ownerOnly = false): Promise<RoomRow> {
    const row = await store.room(roomId);
    if (!row || !isCoach(row, userId)) throw notFound();
    if (ownerOnly && row.owner !== userId) throw new AppError('forbidden', 'Only the room’s owner can do this.');
    return row;
  }

  /** Wrong codes per address are counted in PocketBase (auth_events), across processes. */
  async function guardCode(address: string, check: () => Promise<boolean>): Promise<void> {
    const key = `room-code:${address}`;
    const t = now();
    if ((await deps.throttle.countSince(key, t - 60_000)) >= deps.codeAttemptsPerMinute) {
      throw new AppError('rate_limited', 'Too many wrong codes. Try again in a minute.', { retryAfterSec: 60 });
    }
    if (!(await check())) {
      await deps.throttle.record(key, t);
      throw new AppError('not_found', 'No room with this code.');
    }
  }

  async function createWithUniqueCode<T>(create: (code: string) => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await create(newCode());
      } catch (e) {
        // 40-bit codes collide rarely; the unique index says so and we draw again.
        if (!(e instanceof ClientResponseError && e.status === 400) || i >= 4) throw e;
      }
    }
  }

  const publishRoom = (row: RoomRow) => bus.publish(row.id, { type: 'room', room: { id: row.id, name: row.name, joinCode: row.join_code } });

  async function latestTimer(roomId: string): Promise<TimerState> {
    const state = await deps.timers.latest(roomId);
    if (!state) throw new Error(`room ${roomId} has no timer`);
    return state;
  }

  return {
    coachRoom,
    isCoach,
    latestTimer,

    async create(userId: string, name: string, plan: Plan) {
      const row = await createWithUniqueCode((code) => pb.collection('rooms').create<RoomRow>({ owner: userId, name, join_code: code, co_coaches: [] }));
      await deps.timers.insert(row.id, createTimer(plan));
      return { room: coachRoomView({ ...row, expand: {} }, userId), timer: await latestTimer(row.id) };
    },

    async list(userId: string) {
      return (await store.roomsOf(userId)).map((r) => coachRoomView(r, userId));
    },

    async rename(roomId: string, userId: string, name: string) {
      await coachRoom(roomId, userId);
      const row = await pb.collection('rooms').update<RoomRow>(roomId, { name }, { expand: 'co_coaches' });
      publishRoom(row);
      return coachRoomView(row, userId);
    },

    async rotateCode(roomId: string, userId: string) {
      await coachRoom(roomId, userId);
      const row = await createWithUniqueCode((code) => pb.collection('rooms').update<RoomRow>(roomId, { join_code: code }, { expand: 'co_coaches' }));
      publishRoom(row);
      return coachRoomView(row, userId);
    },

    async remove(roomId: string, userId: string) {
      await coachRoom(roomId, userId, true);
      await pb.collection('rooms').delete(roomId);
      bus.publish(roomId, { type: 'room-deleted' });
    },

    async addCoCoach(roomId: string, userId: string, email: string) {
      const row = await coachRoom(roomId, userId, true);
      const user = (await pb.collection('users').getList<{ id: string }>(1, 1, { filter: pb.filter('email = {:email}', { email }), skipTotal: true })).items[0];
      if (!user) throw new AppError('not_found', 'No member with this email.');
      if (user.id === row.owner) throw new AppError('conflict', 'The owner is already the coach.');
      const updated = await pb.collection('rooms').update<RoomRow>(roomId, { 'co_coaches+': user.id }, { expand: 'co_coaches' });
      return coachRoomView(updated, userId);
    },

    async removeCoCoach(roomId: string, userId: string, coCoachId: string) {
      const row = await coachRoom(roomId, userId, true);
      if (!row.co_coaches.includes(coCoachId)) throw new AppError('not_found', 'Not a co-coach of this room.');
      const updated = await pb.collection('rooms').update<RoomRow>(roomId, { 'co_coaches-': coCoachId }, { expand: 'co_coaches' });
      bus.publish(roomId, { type: 'reauthorize', role: 'control' });
      return coachRoomView(updated, userId);
    },

    // Displays.

    async createDisplay(roomId: string, userId: string, name: string) {
      await coachRoom(roomId, userId);
      const pairingCode = newCode();
      const pairingExpiresAt = now() + deps.pairingTtlMs;
      const row = await pb.collection('room_displays').create<DisplayRow>({
        room: roomId,
        name,
        token_hash: sha256(`placeholder:${pairingCode}:${Math.random()}`),
        pairing_code_hash: sha256(pairingCode),
        pairing_expires: pairingExpiresAt,
      });
      const { token, hash } = newToken(row.id);
      const saved = await pb.collection('room_displays').update<DisplayRow>(row.id, { token_hash: hash });
      return { display: displayView(saved, now()), token, pairingCode, pairingExpiresAt };
    },

    async listDisplays(roomId: string, userId: string) {
      await coachRoom(roomId, userId);
      return (await store.displaysOf(roomId)).map((d) => displayView(d, now()));
    },

    async revokeDisplay(roomId: string, userId: string, displayId: string) {
      await coachRoom(roomId, userId);
      const d = await store.display(displayId);
      if (!d || d.room !== roomId) throw new AppError('not_found', 'No such display.');
      await pb.collection('room_displays').delete(d.id);
      bus.publish(roomId, { type: 'display-revoked', displayId: d.id });
    },

    /** A gym browser types the pairing code: it gets its own display token (the link's one stops working). */
    async pairDisplay(address: string, codeInput: string) {
      const code = normalizeCode(codeInput);
      let found: DisplayRow | null = null;
      await guardCode(address, async () => {
        if (!isWellFormedCode(code)) return false;
        found = await store.displayByPairingHash(sha256(code));
        return found !== null && found.pairing_expires > now();
      });
      const d = found! as DisplayRow;
      const { token, hash } = newToken(d.id);
      await pb.collection('room_displays').update(d.id, { token_hash: hash, pairing_code_hash: '', pairing_expires: 0 });
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
      let room: RoomRow | null = null;
      await guardCode(address, async () => {
        room = isWellFormedCode(code) ? await store.roomByCode(code) : null;
        return room !== null;
      });
      const roomRow = room! as RoomRow;
      let name = input.name;
      if (userId && !name) name = (await pb.collection('users').getOne<{ name: string }>(userId)).name || 'Member';
      if (!name) throw new AppError('invalid_body', 'name: required for guests');
      if (!userId && input.age === undefined) throw new AppError('invalid_body', 'age: required for guests');
      const fields = {
        name,
        age: input.age ?? 0,
        sex: input.sex ?? '',
        weight_kg: input.weightKg ?? 0,
        max_hr: input.maxHr ?? 0,
        status: 'active',
        ...(userId ? { user: userId } : {}),
      };
      const t = now();
      const rejoin = async (existing: ParticipantRow) => {
        if (existing.status === 'removed') throw new AppError('participant_removed', 'The coach removed you from this room.');
        // The device id is the participant; a member's tile is never taken over by someone else.
        if (existing.user && existing.user !== userId) throw new AppError('forbidden', 'This device joined as another member.');
        const { token, hash } = newToken(existing.id);
        const row = await pb.collection('room_participants').update<ParticipantRow>(existing.id, { ...fields, token_hash: hash, last_seen: t });
        return { row, token };
      };
      let result: { row: ParticipantRow; token: string };
      const existing = await store.participantByDevice(roomRow.id, input.deviceId);
      if (existing) result = await rejoin(existing);
      else {
        try {
          const placeholder = sha256(`${input.deviceId}:${t}:${Math.random()}`);
          const row = await pb
            .collection('room_participants')
            .create<ParticipantRow>({ ...fields, room: roomRow.id, device_id: input.deviceId, token_hash: placeholder, joined_at: t, last_seen: t });
          const { token, hash } = newToken(row.id);
          result = { row: await pb.collection('room_participants').update<ParticipantRow>(row.id, { token_hash: hash }), token };
        } catch (e) {
          // Two joins from one device at once: the unique (room, device_id) index keeps one row.
          const again = e instanceof ClientResponseError && e.status === 400 ? await store.participantByDevice(roomRow.id, input.deviceId) : null;
          if (!again) throw e;
          result = await rejoin(again);
        }
      }
      const participant = participantView(result.row);
      bus.remember(roomRow.id, participant.id, { hr: null, seenAt: t, ...(await keepHr(roomRow.id, participant.id)) });
      bus.publish(roomRow.id, { type: 'participant', participant, seenAt: t });
      return { room: { id: roomRow.id, name: roomRow.name }, participant, token: result.token };
    },

    authenticateParticipant,

    async leave(roomId: string, token: string) {
      const p = await authenticateParticipant(roomId, token);
      if (!p) throw new AppError('unauthenticated', 'Not a participant of this room.');
      await pb.collection('room_participants').update(p.id, { status: 'left' });
      bus.forget(roomId, p.id);
      bus.publish(roomId, { type: 'participant-left', participantId: p.id, reason: 'left' });
    },

    async listParticipants(roomId: string, userId: string): Promise<ParticipantView[]> {
      await coachRoom(roomId, userId);
      return (await store.activeParticipants(roomId)).map(participantView);
    },

    async removeParticipant(roomId: string, userId: string, participantId: string) {
      await coachRoom(roomId, userId);
      const p = await store.participant(participantId);
      if (!p || p.room !== roomId) throw new AppError('not_found', 'No such participant.');
      // A fresh random hash too, so the old token is dead even for a check racing this write.
      await pb.collection('room_participants').update(p.id, { status: 'removed', token_hash: sha256(`removed:${Math.random()}:${now()}`) });
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
