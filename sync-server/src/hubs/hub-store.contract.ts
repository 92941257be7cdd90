import { describe, expect, it } from 'vitest';
import { sha256 } from '../rooms/credentials';
import type { HubStore } from './store';

export interface HubStoreHarness {
  store: HubStore;
  /** A room id the store accepts (PocketBase: an existing room). */
  newRoom(): Promise<string>;
  /** A member id (PocketBase: an existing user). */
  newMember(): Promise<string>;
  /** A participant id in the room (PocketBase: an existing participant). */
  newParticipant(roomId: string): Promise<string>;
}

const hash = (s: string) => sha256(s);

/** What every HubStore promises. */
export function hubStoreContract(make: () => Promise<HubStoreHarness>) {
  describe('hub store contract', () => {
    it('creates, lists per room, finds by pairing hash, deletes', async () => {
      const h = await make();
      const [a, b] = [await h.newRoom(), await h.newRoom()];
      const id = h.store.newId();
      expect(id).toMatch(/^[a-z0-9]{15}$/);
      const hub = await h.store.createHub({ id, room: a, name: 'Front desk', tokenHash: hash('t'), pairingCodeHash: hash('code1'), pairingExpires: 123 });
      expect(hub).toMatchObject({ id, room: a, name: 'Front desk', token_hash: hash('t'), pairing_code_hash: hash('code1'), pairing_expires: 123 });
      expect((await h.store.hubsOf(a)).map((x) => x.id)).toEqual([id]);
      expect(await h.store.hubsOf(b)).toEqual([]);
      expect((await h.store.hubByPairingHash(hash('code1')))?.id).toBe(id);
      expect(await h.store.hubByPairingHash(hash('other'))).toBeNull();
      expect(await h.store.deleteHub(id)).toBe(true);
      expect(await h.store.hub(id)).toBeNull();
      expect(await h.store.deleteHub(id)).toBe(false);
    });

    it('of 8 parallel pairings with one code exactly one wins; the winner’s token is stored and the code is spent', async () => {
      const h = await make();
      const room = await h.newRoom();
      const id = h.store.newId();
      const hub = await h.store.createHub({ id, room, name: 'Hub', tokenHash: hash('link'), pairingCodeHash: hash('pair'), pairingExpires: Date.now() + 60_000 });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.claimPairing(hub, hash(`tok${i}`))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const after = (await h.store.hub(id))!;
      expect(after.token_hash).toBe(hash(`tok${results.indexOf(true)}`));
      expect(after.pairing_code_hash).toBe('');
      expect(await h.store.hubByPairingHash(hash('pair'))).toBeNull();
      expect(await h.store.claimPairing(hub, hash('again'))).toBe(false);
    });

    it('a strap participant is claimed by one phone: the same phone again is fine, another is refused, also in parallel', async () => {
      const h = await make();
      const room = await h.newRoom();
      const [p, q] = [await h.newParticipant(room), await h.newParticipant(room)];
      const results = await Promise.all(['dev-aaaaaaaa', 'dev-bbbbbbbb', 'dev-cccccccc'].map((d) => h.store.claimStrap(p, d)));
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      const winner = ['dev-aaaaaaaa', 'dev-bbbbbbbb', 'dev-cccccccc'][results.indexOf('ok')]!;
      expect(await h.store.claimStrap(p, winner)).toBe('ok');
      expect(await h.store.claimStrap(q, 'dev-aaaaaaaa')).toBe('ok');
      expect(await h.store.strapClaims([p, q])).toEqual(new Map([[p, winner], [q, 'dev-aaaaaaaa']]));
    });

    it('notes the key behind a strap participant once, marks a contested claim, releases a claim (any phone or only its own), finds owners by key', async () => {
      const h = await make();
      const room = await h.newRoom();
      const [p, q] = [await h.newParticipant(room), await h.newParticipant(room)];
      const key = `ant:${Math.floor(Math.random() * 60000) + 1}`;
      await h.store.noteStrap(p, key);
      await h.store.noteStrap(p, 'ble:Other');
      expect(await h.store.strapsOfParticipants([p, q])).toEqual(new Map([[p, { key, contestedAt: 0 }]]));
      expect(await h.store.claimStrap(p, 'dev-aaaaaaaa')).toBe('ok');
      await h.store.contestStrap(p, 1234);
      expect((await h.store.strapsOfParticipants([p])).get(p)?.contestedAt).toBe(1234);
      expect(await h.store.releaseStrapClaim(p, 'dev-bbbbbbbb')).toBe(false);
      expect(await h.store.releaseStrapClaim(p, 'dev-aaaaaaaa')).toBe(true);
      expect(await h.store.strapClaims([p])).toEqual(new Map());
      expect((await h.store.strapsOfParticipants([p])).get(p)?.contestedAt).toBe(0);
      expect(await h.store.releaseStrapClaim(p, null)).toBe(false);
      expect(await h.store.claimStrap(p, 'dev-bbbbbbbb')).toBe('ok');
      expect(await h.store.releaseStrapClaim(p, null)).toBe(true);

      const ann = await h.newMember();
      const ble = `ble:Polar_H10_${Math.floor(Math.random() * 1e6)}`;
      expect(await h.store.registerStrap(ann, ble)).toBe('ok');
      expect(await h.store.strapOwners([ble, key])).toEqual(new Map([[ble, ann]]));
    });

    it('a strap key belongs to one member until released; prefs default to off', async () => {
      const h = await make();
      const [ann, bob] = [await h.newMember(), await h.newMember()];
      const key = `ant:${Math.floor(Math.random() * 60000) + 1}`;
      const [r1, r2] = await Promise.all([h.store.registerStrap(ann, key), h.store.registerStrap(bob, key)]);
      expect([r1, r2].sort()).toEqual(['ok', 'taken']);
      const owner = r1 === 'ok' ? ann : bob;
      const other = owner === ann ? bob : ann;
      expect(await h.store.strapOwner(key)).toBe(owner);
      expect(await h.store.registerStrap(owner, key)).toBe('ok');
      expect(await h.store.releaseStrap(other, key)).toBe(false);
      expect((await h.store.strapsOf(owner)).map((s) => s.key)).toEqual([key]);
      expect(await h.store.releaseStrap(owner, key)).toBe(true);
      expect(await h.store.strapOwner(key)).toBeNull();
      expect(await h.store.registerStrap(other, key)).toBe('ok');

      expect(await h.store.prefs(ann)).toEqual({ autoJoin: false, profile: {} });
      await h.store.setPrefs(ann, { autoJoin: true, profile: { age: 40, sex: 'female', maxHr: 182 } });
      expect(await h.store.prefs(ann)).toEqual({ autoJoin: true, profile: { age: 40, sex: 'female', maxHr: 182 } });
      await h.store.setPrefs(ann, { autoJoin: false, profile: {} });
      expect(await h.store.prefs(ann)).toEqual({ autoJoin: false, profile: {} });
      expect(await h.store.prefs(bob)).toEqual({ autoJoin: false, profile: {} });
    });
  });
}
