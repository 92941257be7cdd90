import { describe, expect, it } from 'vitest';
import { tabataPlan } from '../../../core/workout';
import { createMemoryLimiter } from '../auth/memory-limiter';
import { AppError } from '../http/errors';
import type { RoomEvent } from '../live/bus';
import { createMemoryBus } from '../live/memory-bus';
import { createMemoryRoomStore } from './memory-room-store';
import { createMemoryTimerStore } from './memory-timer-store';
import { createRoomService, DEFAULT_ROOM_LIMITS, type RoomLimits } from './service';

const LIMITS: RoomLimits = { codeAttemptsPerDevice: 5, joinsPerAddress: 50, joinsPerRoom: 60, pairingAttemptsPerAddress: 5, invitationsPerOwnerPerHour: 3 };

function setUp(limits: Partial<RoomLimits> = {}) {
  let t = 1_000_000;
  const now = () => t;
  const store = createMemoryRoomStore({ now });
  // Counts how many join codes were really looked up (what a guesser gets out of the server).
  let lookups = 0;
  const roomByCode = store.roomByCode;
  store.roomByCode = async (code) => {
    lookups++;
    return roomByCode(code);
  };
  const bus = createMemoryBus({ memoTtlMs: 60_000, now });
  const events: Array<{ roomId: string; event: RoomEvent }> = [];
  const publish = bus.publish.bind(bus);
  bus.publish = (roomId, event) => {
    events.push({ roomId, event });
    publish(roomId, event);
  };
  const service = createRoomService({ store, timers: createMemoryTimerStore(), bus, limiter: createMemoryLimiter(), now, limits: { ...LIMITS, ...limits }, pairingTtlMs: 600_000 });
  const member = (name: string, email = `${name.toLowerCase()}@example.com`, verified = true) => {
    const id = store.newId();
    store.addMember({ id, name, email, verified });
    return id;
  };
  return { store, service, events, member, lookups: () => lookups, advance: (ms: number) => (t += ms) };
}

const guest = (code: string, deviceId: string) => ({ code, deviceId, name: 'Gail', age: 34 });
const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));
const settle = <T>(ps: Array<Promise<T>>) => Promise.allSettled(ps);
const rejectedWith = (rs: PromiseSettledResult<unknown>[], code: string) => rs.filter((r) => r.status === 'rejected' && codeOf(r.reason) === code).length;

describe('room service: joining limits', () => {
  it('200 parallel wrong codes from one device: exactly the device limit is looked up, the rest is 429', async () => {
    const w = setUp();
    const rs = await settle(Array.from({ length: 200 }, (_, i) => w.service.join('10.0.0.1', null, guest(`ZZZZ${2222 + (i % 7000)}`, 'guessing-device'))));
    expect(w.lookups()).toBe(5);
    expect(rejectedWith(rs, 'not_found')).toBe(5);
    expect(rejectedWith(rs, 'rate_limited')).toBe(195);
  });

  it('200 parallel wrong codes with fresh device ids from one address: exactly the address limit is looked up', async () => {
    const w = setUp();
    const rs = await settle(Array.from({ length: 200 }, (_, i) => w.service.join('10.0.0.1', null, guest('ZZZZ2222', `device-${i}-xxxx`))));
    expect(w.lookups()).toBe(50);
    expect(rejectedWith(rs, 'rate_limited')).toBe(150);
    const e = rs.find((r) => r.status === 'rejected' && codeOf(r.reason) === 'rate_limited') as PromiseRejectedResult;
    expect((e.reason as AppError).details.retryAfterSec).toBe(60);
  });

  it('a class of 40 behind one NAT address joins with the right code while one phone there types wrong codes', async () => {
    const w = setUp({ joinsPerAddress: DEFAULT_ROOM_LIMITS.joinsPerAddress });
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const wrong = Array.from({ length: 30 }, () => w.service.join('10.9.9.9', null, guest('WRNGC0DE', 'typo-phone-1')));
    const right = Array.from({ length: 40 }, (_, i) => w.service.join('10.9.9.9', null, guest(room.joinCode, `class-phone-${i}`)));
    const [wr, rr] = await Promise.all([settle(wrong), settle(right)]);
    expect(rr.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    expect(rejectedWith(wr, 'rate_limited')).toBe(25);
    expect((await w.service.listParticipants(room.id, owner)).length).toBe(40);
  });

  it('joins per room are limited too, and every limit frees after its minute', async () => {
    const w = setUp({ joinsPerRoom: 3 });
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    for (let i = 0; i < 3; i++) await w.service.join(`10.0.0.${i}`, null, guest(room.joinCode, `phone-${i}-xxxx`));
    await expect(w.service.join('10.0.1.1', null, guest(room.joinCode, 'phone-9-xxxx'))).rejects.toMatchObject({ code: 'rate_limited' });
    w.advance(60_000);
    await expect(w.service.join('10.0.1.1', null, guest(room.joinCode, 'phone-9-xxxx'))).resolves.toMatchObject({ room: { id: room.id } });
  });
});

describe('room service: co-coach invitations', () => {
  it('answers the same for registered and unknown addresses; nothing happens until the invitee accepts', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const ivy = w.member('Ivy', 'ivy@example.com');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    expect(await w.service.invite(room.id, owner, 'ivy@example.com')).toBeUndefined();
    expect(await w.service.invite(room.id, owner, 'nobody@example.com')).toBeUndefined();
    expect((await w.service.roomInvitations(room.id, owner)).map((i) => i.email)).toEqual(['ivy@example.com', 'nobody@example.com']);
    await expect(w.service.coachRoom(room.id, ivy)).rejects.toMatchObject({ code: 'not_found' });
    const mine = await w.service.myInvitations(ivy);
    expect(mine.invitations).toEqual([{ id: expect.any(String), room: { id: room.id, name: 'Spin' }, invitedBy: 'Olga', created: expect.any(String) }]);
    const view = await w.service.acceptInvitation(ivy, mine.invitations[0]!.id);
    expect(view.coCoaches).toEqual([{ id: ivy, name: 'Ivy' }]);
    expect(view.isOwner).toBe(false);
    await expect(w.service.coachRoom(room.id, ivy)).resolves.toMatchObject({ id: room.id });
    expect((await w.service.myInvitations(ivy)).invitations).toEqual([]);
  });

  it('inviting does the same store work for a registered and an unknown address (so the timing cannot differ)', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    w.member('Ivy', 'ivy@example.com');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const calls: string[] = [];
    for (const name of Object.keys(w.store) as Array<keyof typeof w.store>) {
      const original = w.store[name];
      if (typeof original !== 'function') continue;
      (w.store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        calls.push(String(name));
        return (original as (...a: unknown[]) => unknown).apply(w.store, args);
      };
    }
    await w.service.invite(room.id, owner, 'ivy@example.com');
    const registered = calls.splice(0);
    await w.service.invite(room.id, owner, 'nobody@example.com');
    expect(calls).toEqual(registered);
    expect(registered).not.toContain('member');
    expect(registered).not.toContain('members');
  });

  it('only the invited (confirmed) address can accept; declining adds nobody', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const ivy = w.member('Ivy', 'ivy@example.com');
    const eve = w.member('Eve', 'eve@example.com');
    const unconfirmed = w.member('Una', 'una@example.com', false);
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    await w.service.invite(room.id, owner, 'ivy@example.com');
    await w.service.invite(room.id, owner, 'una@example.com');
    const [forIvy, forUna] = await w.store.invitationsOfRoom(room.id);
    await expect(w.service.acceptInvitation(eve, forIvy!.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await w.service.myInvitations(unconfirmed)).toEqual({ emailVerified: false, invitations: [] });
    await expect(w.service.acceptInvitation(unconfirmed, forUna!.id)).rejects.toMatchObject({ code: 'forbidden' });
    await w.service.declineInvitation(ivy, forIvy!.id);
    await expect(w.service.acceptInvitation(ivy, forIvy!.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await w.store.room(room.id))!.coaches).toEqual([]);
  });

  it('invitations are limited per owner; only the owner invites', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const rs = await settle(Array.from({ length: 10 }, (_, i) => w.service.invite(room.id, owner, `p${i}@example.com`)));
    expect(rs.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejectedWith(rs, 'rate_limited')).toBe(7);
    const other = w.member('Otto');
    await expect(w.service.invite(room.id, other, 'x@example.com')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('removing a co-coach asks every process to re-check control sockets', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const ivy = w.member('Ivy', 'ivy@example.com');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    await w.service.invite(room.id, owner, 'ivy@example.com');
    await w.service.acceptInvitation(ivy, (await w.service.myInvitations(ivy)).invitations[0]!.id);
    await w.service.removeCoCoach(room.id, owner, ivy);
    expect(w.events.at(-1)).toEqual({ roomId: room.id, event: { type: 'reauthorize', role: 'control' } });
    await expect(w.service.coachRoom(room.id, ivy)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('room service: racing writers', () => {
  it('rename and rotate-code at once: both stay', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const [, rotated] = await Promise.all([w.service.rename(room.id, owner, 'Row'), w.service.rotateCode(room.id, owner)]);
    expect(await w.store.room(room.id)).toMatchObject({ name: 'Row', join_code: rotated.joinCode });
  });

  it('a rejoin racing a removal never undoes the removal', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const joined = await w.service.join('10.0.0.1', null, guest(room.joinCode, 'phone-race'));
    // The worst order: the rejoin reads the row, the removal commits, then the rejoin writes.
    let removed!: () => void;
    let read!: () => void;
    const removalDone = new Promise<void>((r) => (removed = r));
    const rejoinRead = new Promise<void>((r) => (read = r));
    const byDevice = w.store.participantByDevice;
    w.store.participantByDevice = async (roomId, deviceId) => {
      const row = await byDevice(roomId, deviceId);
      read();
      return row;
    };
    const update = w.store.updateParticipant;
    w.store.updateParticipant = async (expected, patch) => {
      if (patch.status === 'active') await removalDone;
      if (patch.status === 'removed') await rejoinRead;
      const r = await update(expected, patch);
      if (patch.status === 'removed') removed();
      return r;
    };
    const [rejoin, removal] = await Promise.allSettled([
      w.service.join('10.0.0.1', null, guest(room.joinCode, 'phone-race')),
      w.service.removeParticipant(room.id, owner, joined.participant.id),
    ]);
    expect(removal.status).toBe('fulfilled');
    expect(rejoin.status === 'rejected' && codeOf(rejoin.reason)).toBe('participant_removed');
    expect((await w.store.participant(joined.participant.id))!.status).toBe('removed');
  });

  it('a pairing code pairs exactly one of 5 parallel browsers, and asks displays to re-check', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    const d = await w.service.createDisplay(room.id, owner, 'Screen');
    const rs = await settle(Array.from({ length: 5 }, (_, i) => w.service.pairDisplay(`10.0.0.${i}`, d.pairingCode)));
    expect(rs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const paired = (rs.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ token: string }>).value;
    expect(await w.service.authenticateDisplay(room.id, paired.token)).not.toBeNull();
    // The link's token stops working once the code is used (the pairing code wins).
    expect(await w.service.authenticateDisplay(room.id, d.token)).toBeNull();
    expect(w.events.some((e) => e.event.type === 'reauthorize' && e.event.role === 'display')).toBe(true);
  });

  it('two coaches pausing at once: one pause, one answer explains why', async () => {
    const w = setUp();
    const owner = w.member('Olga');
    const { room } = await w.service.create(owner, 'Spin', tabataPlan(4));
    await w.service.timerCommand(room.id, 'start');
    const [a, b] = await Promise.all([w.service.timerCommand(room.id, 'pause'), w.service.timerCommand(room.id, 'pause')]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((await w.service.latestTimer(room.id)).revision).toBe(2);
  });
});
