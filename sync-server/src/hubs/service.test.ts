import { describe, expect, it } from 'vitest';
import { tabataPlan } from '../../../core/workout';
import { createMemoryLimiter } from '../auth/memory-limiter';
import { AppError } from '../http/errors';
import type { RoomEvent } from '../live/bus';
import { createMemoryBus } from '../live/memory-bus';
import { createMemoryRoomStore } from '../rooms/memory-room-store';
import { createMemoryTimerStore } from '../rooms/memory-timer-store';
import { createRoomService, DEFAULT_ROOM_LIMITS } from '../rooms/service';
import { createMemoryHubStore } from './memory-hub-store';
import { createHubService, hubOfDevice, strapDeviceId } from './service';

const LIMITS = { ...DEFAULT_ROOM_LIMITS, codeAttemptsPerDevice: 50, pairingAttemptsPerAddress: 5 };

async function setUp() {
  let t = 1_000_000;
  const now = () => t;
  const store = createMemoryRoomStore({ now });
  const bus = createMemoryBus({ memoTtlMs: 60_000, now });
  const events: RoomEvent[] = [];
  const publish = bus.publish.bind(bus);
  bus.publish = (roomId, event) => {
    events.push(event);
    publish(roomId, event);
  };
  const limiter = createMemoryLimiter();
  const rooms = createRoomService({ store, timers: createMemoryTimerStore(), bus, limiter, now, limits: LIMITS, pairingTtlMs: 600_000 });
  const hubStore = createMemoryHubStore({ now });
  const hubs = createHubService({ hubs: hubStore, store, rooms, bus, limiter, now, pairingTtlMs: 600_000, limits: LIMITS });
  const member = (name: string) => {
    const id = store.newId();
    store.addMember({ id, name, email: `${name}@example.com`, verified: true });
    return id;
  };
  const coach = member('coach');
  const { room } = await rooms.create(coach, 'HIIT', tabataPlan(2));
  const created = await hubs.createHub(room.id, coach, 'Hub');
  const hub = (await hubs.authenticateHub(room.id, created.token))!;
  return { store, hubs, rooms, events, member, coach, room, created, hub, advance: (ms: number) => (t += ms) };
}

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));

describe('hub service', () => {
  it('a strap heard for the first time is a guest "Strap 4821", the same participant every time after', async () => {
    const s = await setUp();
    const first = (await s.hubs.strapParticipant(s.hub, 'ant:14821'))!;
    expect(first).toMatchObject({ announce: true, row: { name: 'Strap 4821', user: '', status: 'active', room: s.room.id } });
    expect(first.row.device_id).toBe(strapDeviceId(s.hub.id, 'ant:14821'));
    expect(hubOfDevice(first.row.device_id)).toBe(s.hub.id);
    expect(await s.hubs.strapParticipant(s.hub, 'ant:14821')).toMatchObject({ announce: false, row: { id: first.row.id } });
    // Parallel first hearings (two sockets of one hub) still make one participant.
    const many = await Promise.all(Array.from({ length: 5 }, () => s.hubs.strapParticipant(s.hub, 'ant:999')));
    expect(new Set(many.map((m) => m!.row.id)).size).toBe(1);
  });

  it('a registered member joins automatically only once opted in, with their profile; a strap the coach named stays named', async () => {
    const s = await setUp();
    const ann = s.member('Ann');
    await s.hubs.registerStrap(ann, 'ant:5000');
    expect((await s.hubs.strapParticipant(s.hub, 'ant:5000'))!.row).toMatchObject({ name: 'Strap 5000', user: '' });
    await s.hubs.setStrapPrefs(ann, { autoJoin: true, profile: { age: 50, maxHr: 170 } });
    expect(await s.hubs.strapParticipant(s.hub, 'ant:5000')).toMatchObject({ announce: true, row: { name: 'Ann', user: ann, age: 50, max_hr: 170 } });

    const bob = s.member('Bob');
    const named = (await s.hubs.strapParticipant(s.hub, 'ant:6000'))!.row;
    await s.hubs.assignStrap(s.room.id, s.coach, named.id, { name: 'Guest Gail' });
    await s.hubs.registerStrap(bob, 'ant:6000');
    await s.hubs.setStrapPrefs(bob, { autoJoin: true, profile: {} });
    expect((await s.hubs.strapParticipant(s.hub, 'ant:6000'))!.row).toMatchObject({ name: 'Guest Gail', user: '' });
    // A member's strap cannot be renamed as a guest.
    const annRow = (await s.hubs.strapParticipant(s.hub, 'ant:5000'))!.row;
    expect(await s.hubs.assignStrap(s.room.id, s.coach, annRow.id, { name: 'X' }).catch(codeOf)).toBe('conflict');
  });

  it('a strap the coach removed is not carried again; a member’s strap is followed only by that member', async () => {
    const s = await setUp();
    const row = (await s.hubs.strapParticipant(s.hub, 'ant:7000'))!.row;
    await s.rooms.removeParticipant(s.room.id, s.coach, row.id);
    expect(await s.hubs.strapParticipant(s.hub, 'ant:7000')).toBeNull();

    const ann = s.member('Ann');
    await s.hubs.registerStrap(ann, 'ant:8000');
    await s.hubs.setStrapPrefs(ann, { autoJoin: true, profile: {} });
    const annRow = (await s.hubs.strapParticipant(s.hub, 'ant:8000'))!.row;
    const phone = { code: s.room.joinCode, deviceId: 'dev-phone-0001', participantId: annRow.id };
    expect(await s.hubs.claimStrap('1.2.3.4', null, phone).catch(codeOf)).toBe('forbidden');
    expect((await s.hubs.strapsForPhone('1.2.3.4', null, s.room.joinCode, 'dev-phone-0001')).straps).toEqual([]);
    const mine = await s.hubs.claimStrap('1.2.3.4', ann, phone);
    expect(mine.participant).toMatchObject({ id: annRow.id, name: 'Ann', member: true });
    expect(await s.rooms.authenticateParticipant(s.room.id, mine.token)).toMatchObject({ id: annRow.id });
  });

  it('pairing: the code works once, the link’s token stops working, and every hub socket of the room is re-checked; revoking does the same', async () => {
    const s = await setUp();
    const paired = await s.hubs.pairHub('1.2.3.4', s.created.pairingCode);
    expect(paired).toMatchObject({ roomId: s.room.id, hubId: s.hub.id });
    expect(await s.hubs.authenticateHub(s.room.id, s.created.token)).toBeNull();
    expect(await s.hubs.authenticateHub(s.room.id, paired.token)).not.toBeNull();
    expect(await s.hubs.pairHub('1.2.3.4', s.created.pairingCode).catch(codeOf)).toBe('not_found');
    expect(s.events).toContainEqual({ type: 'reauthorize', role: 'hub' });
    s.events.length = 0;
    await s.hubs.revokeHub(s.room.id, s.coach, s.hub.id);
    expect(s.events).toEqual([{ type: 'reauthorize', role: 'hub' }]);
    expect(await s.hubs.authenticateHub(s.room.id, paired.token)).toBeNull();
    expect(await s.hubs.listHubs(s.room.id, s.coach)).toEqual([]);
  });
});
