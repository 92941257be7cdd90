import { describe, expect, it } from 'vitest';
import type { ParticipantFields, RoomStore } from './store';

export interface RoomStoreHarness {
  store: RoomStore;
  /** A member account (the users collection) with this email; returns its id. */
  addMember(name: string, email: string): Promise<string>;
  dispose(): Promise<void>;
}

let codeSeq = 0;
/** Well-formed, distinct join codes (8 of A-Z without I/O, 2-9). */
const code = () => {
  const n = (Date.now() * 1000 + ++codeSeq + Math.floor(Math.random() * 1000)) % 32 ** 8;
  let s = '';
  for (let i = 0, v = n; i < 8; i++, v = Math.floor(v / 32)) s += 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[v % 32];
  return s;
};
const uniq = () => Math.random().toString(36).slice(2, 10);
const hash = (c: string) => c.repeat(64).slice(0, 64);
const guest = (over: Partial<ParticipantFields> = {}): ParticipantFields => ({
  name: 'Gail',
  age: 34,
  sex: 'female',
  weight_kg: 61,
  max_hr: 0,
  resting_hr: 58,
  unranked: false,
  user: '',
  token_hash: hash('a'),
  status: 'active',
  ...over,
});

/**
 * What every RoomStore promises (memory and PocketBase). The concurrency cases are the point:
 * writers racing on one room or participant never lose a committed write, and every
 * "exactly once" step (a pairing code, an invitation, a participant version) has one winner.
 */
export function roomStoreContract(make: () => Promise<RoomStoreHarness>) {
  const withStore = async (fn: (h: RoomStoreHarness) => Promise<void>) => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.dispose();
    }
  };
  const newRoom = async (h: RoomStoreHarness) => {
    const owner = await h.addMember('Olga', `owner-${uniq()}@example.com`);
    const room = await h.store.createRoom({ owner, name: 'Spin', code: code() });
    if (room === 'code_taken') throw new Error('code taken');
    return { owner, room };
  };

  describe('room store contract', () => {
    it('creates, reads by id and code, lists, renames, rotates and deletes a room', () =>
      withStore(async (h) => {
        const { owner, room } = await newRoom(h);
        expect(room).toMatchObject({ owner, name: 'Spin', coaches: [] });
        expect(await h.store.room(room.id)).toEqual(room);
        expect((await h.store.roomByCode(room.join_code))?.id).toBe(room.id);
        expect((await h.store.roomsOf(owner)).map((r) => r.id)).toEqual([room.id]);
        expect((await h.store.renameRoom(room.id, 'Row'))?.name).toBe('Row');
        const next = code();
        expect((await h.store.setJoinCode(room.id, next)) as unknown).toMatchObject({ join_code: next, name: 'Row' });
        expect(await h.store.roomByCode(room.join_code)).toBeNull();
        await h.store.deleteRoom(room.id);
        expect(await h.store.room(room.id)).toBeNull();
        expect(await h.store.renameRoom(room.id, 'x')).toBeNull();
      }));

    it('a taken code is refused and leaves nothing half-made', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const other = await h.addMember('Oscar', `o-${uniq()}@example.com`);
        expect(await h.store.createRoom({ owner: other, name: 'Dup', code: room.join_code })).toBe('code_taken');
        expect(await h.store.roomsOf(other)).toEqual([]);
        const { room: second } = await newRoom(h);
        expect(await h.store.setJoinCode(second.id, room.join_code)).toBe('code_taken');
        expect((await h.store.room(second.id))?.join_code).toBe(second.join_code);
      }));

    it('rename and rotate-code racing never undo each other', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        for (let i = 0; i < 10; i++) {
          const next = code();
          await Promise.all([h.store.renameRoom(room.id, `Name ${i}`), h.store.setJoinCode(room.id, next)]);
          expect(await h.store.room(room.id)).toMatchObject({ name: `Name ${i}`, join_code: next });
        }
      }));

    it('the tile order is its own record: by name until set, never undone by a racing rename or rotate, first sets racing all land', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        expect(room.tile_sort).toBe('name');
        // Parallel first writes (no settings record yet): every one succeeds, one value stays.
        const modes = ['zone', 'points', 'zone', 'points', 'zone', 'points'] as const;
        const results = await Promise.all(modes.map((m) => h.store.setTileSort(room.id, m)));
        expect(results.every((r) => r !== null)).toBe(true);
        expect(['zone', 'points']).toContain((await h.store.room(room.id))?.tile_sort);
        for (let i = 0; i < 6; i++) {
          const mode = i % 2 ? 'points' : 'zone';
          const next = code();
          await Promise.all([h.store.setTileSort(room.id, mode), h.store.renameRoom(room.id, `Name ${i}`), h.store.setJoinCode(room.id, next)]);
          expect(await h.store.room(room.id)).toMatchObject({ name: `Name ${i}`, join_code: next, tile_sort: mode });
        }
        await h.store.deleteRoom(room.id);
        expect(await h.store.setTileSort(room.id, 'name')).toBeNull();
      }));

    it('co-coaches added in parallel are all kept, removal of one leaves the others', () =>
      withStore(async (h) => {
        const { owner, room } = await newRoom(h);
        const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => h.addMember(`C${i}`, `c${i}-${uniq()}@example.com`)));
        const results = await Promise.all([...ids.map((id) => h.store.addCoach(room.id, id)), h.store.renameRoom(room.id, 'Renamed'), h.store.addCoach(room.id, ids[0]!)]);
        expect(results.filter((r) => r === 'exists')).toHaveLength(1);
        const after = (await h.store.room(room.id))!;
        expect(after.coaches.sort()).toEqual([...ids].sort());
        expect(after.name).toBe('Renamed');
        expect((await h.store.roomsOf(ids[3]!)).map((r) => r.id)).toEqual([room.id]);
        await Promise.all([h.store.removeCoach(room.id, ids[0]!), h.store.setJoinCode(room.id, code())]);
        expect((await h.store.room(room.id))!.coaches.sort()).toEqual(ids.slice(1).sort());
        expect(await h.store.removeCoach(room.id, ids[0]!)).toBe(false);
        expect((await h.store.members([owner, ids[1]!])).map((m) => m.name).sort()).toEqual(['C1', 'Olga']);
      }));

    it('an invitation is accepted exactly once of 10 parallel accepts', () =>
      withStore(async (h) => {
        const { owner, room } = await newRoom(h);
        const email = `inv-${uniq()}@example.com`;
        const invitee = await h.addMember('Ivy', email);
        await Promise.all([h.store.invite(room.id, email, owner), h.store.invite(room.id, email, owner)]);
        const [inv, ...more] = await h.store.invitationsFor(email);
        expect(more).toEqual([]);
        expect(inv).toMatchObject({ room: room.id, email, invitedBy: owner });
        expect(await h.store.invitationsOfRoom(room.id)).toEqual([inv]);
        const accepted = await Promise.all(Array.from({ length: 10 }, () => h.store.acceptInvitation(inv!, invitee)));
        expect(accepted.filter(Boolean)).toHaveLength(1);
        expect((await h.store.room(room.id))!.coaches).toEqual([invitee]);
        expect(await h.store.invitation(inv!.id)).toBeNull();
        expect(await h.store.deleteInvitation(inv!.id)).toBe(false);
      }));

    it('a pairing code is claimed by exactly one of 10 parallel claims', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const id = h.store.newId();
        const d = await h.store.createDisplay({ id, room: room.id, name: 'Screen', tokenHash: hash('1'), pairingCodeHash: hash('2'), pairingExpires: 10 });
        expect(d).toMatchObject({ id, room: room.id, name: 'Screen', pairing_code_hash: hash('2') });
        expect((await h.store.displayByPairingHash(hash('2')))?.id).toBe(id);
        const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => h.store.claimPairing(d, hash(String(i)))));
        expect(claims.filter(Boolean)).toHaveLength(1);
        const after = (await h.store.display(id))!;
        expect(after.token_hash).toBe(hash(String(claims.indexOf(true))));
        expect(after.pairing_code_hash).toBe('');
        expect(await h.store.displayByPairingHash(hash('2'))).toBeNull();
        expect((await h.store.displaysOf(room.id)).map((x) => x.id)).toEqual([id]);
        expect(await h.store.deleteDisplay(id)).toBe(true);
        expect(await h.store.claimPairing(d, hash('9'))).toBe(false);
      }));

    it('one participant per device: 10 parallel creates make one', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const created = await Promise.all(
          Array.from({ length: 10 }, () => h.store.createParticipant({ id: h.store.newId(), room: room.id, deviceId: 'device-abc', joinedAt: 1000, ...guest() })),
        );
        expect(created.filter((c) => c !== 'exists')).toHaveLength(1);
        const p = (await h.store.participantByDevice(room.id, 'device-abc'))!;
        expect(p).toMatchObject({ room: room.id, device_id: 'device-abc', name: 'Gail', status: 'active', joined_at: 1000, last_seen: 1000, version: 0 });
        expect(await h.store.activeParticipants(room.id)).toEqual([p]);
      }));

    it('participant updates are compare-and-set: of 10 parallel writers on one version exactly one wins', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const p = (await h.store.createParticipant({ id: h.store.newId(), room: room.id, deviceId: 'device-cas', joinedAt: 1, ...guest() })) as Exclude<
          Awaited<ReturnType<RoomStore['createParticipant']>>,
          'exists'
        >;
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.store.updateParticipant(p, { name: `N${i}` })));
        const won = results.filter((r) => r !== 'lost');
        expect(won).toHaveLength(1);
        const now = (await h.store.participant(p.id))!;
        expect(now.version).toBe(1);
        expect(now.name).toBe((won[0] as { name: string }).name);
        // A writer built on the old version (a rejoin racing a removal) cannot undo the newer one.
        expect(await h.store.updateParticipant(now, { status: 'removed' })).toMatchObject({ status: 'removed', version: 2 });
        expect(await h.store.updateParticipant(p, { status: 'active' })).toBe('lost');
        expect((await h.store.participant(p.id))!.status).toBe('removed');
        expect(await h.store.activeParticipants(room.id)).toEqual([]);
      }));

    it('presence writes never undo a concurrent status change', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const p = (await h.store.createParticipant({ id: h.store.newId(), room: room.id, deviceId: 'device-seen', joinedAt: 1, ...guest() })) as {
          id: string;
        } & Parameters<RoomStore['updateParticipant']>[0];
        for (let i = 0; i < 5; i++) {
          const current = (await h.store.participant(p.id))!;
          const status = i % 2 === 0 ? 'left' : 'active';
          await Promise.all([h.store.touchParticipant(p.id, 100 + i), h.store.updateParticipant(current, { status }), h.store.touchParticipant(p.id, 100 + i)]);
          expect(await h.store.participant(p.id)).toMatchObject({ status, last_seen: 100 + i, version: i + 1 });
        }
      }));

    it('presence in bulk: new and existing rows in one call, racing a second writer; a participant gone meanwhile does not stop the others', () =>
      withStore(async (h) => {
        const { room } = await newRoom(h);
        const make = async (i: number) =>
          (await h.store.createParticipant({ id: h.store.newId(), room: room.id, deviceId: `device-bulk-${i}`, joinedAt: 1, ...guest() })) as { id: string };
        const ps = await Promise.all([0, 1, 2, 3].map(make));
        await h.store.touchParticipant(ps[0]!.id, 50);
        // Two writers (two processes) racing on rows that do not exist yet.
        await Promise.all([h.store.touchParticipants(ps.map((p) => ({ id: p.id, at: 200 }))), h.store.touchParticipants(ps.map((p) => ({ id: p.id, at: 200 })))]);
        for (const p of ps) expect((await h.store.participant(p.id))?.last_seen).toBe(200);
        const gone = h.store.newId(); // never created (as a participant deleted with its room)
        await h.store.touchParticipants([...ps.map((p) => ({ id: p.id, at: 300 })), { id: gone, at: 300 }]);
        for (const p of ps) expect((await h.store.participant(p.id))?.last_seen).toBe(300);
        expect(await h.store.participant(gone)).toBeNull();
      }));
  });
}
