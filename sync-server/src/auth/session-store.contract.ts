import { describe, expect, it } from 'vitest';
import type { SessionMember, SessionStore } from './session-store';
import { createSessions, TOUCH_EVERY_MS } from './sessions';

/**
 * The one contract of SessionStore, run over the in-memory store (session-store.memory.test.ts)
 * and over PocketBase (tests/integration/stores/session-store.pb.test.ts).
 *
 * Concurrency cases, and what each proves:
 * - a touch racing a delete never resurrects the session (revocation is final: an update
 *   never re-creates a row);
 * - two touches racing keep the session whole (a touch writes back only columns that never
 *   change after create, so last write wins harmlessly);
 * - 200 parallel creates for one member all persist (no lost insert);
 * - deleteForUser racing creates removes every session that existed when it started (sign out
 *   everywhere cannot miss a device that was already signed in);
 * - deleting the member removes their sessions (the cascade account deletion relies on);
 * - 300 parallel gets answer each its own session and member, and a get that starts after a
 *   delete returned never sees the session, while other gets are in flight (the PocketBase
 *   store coalesces concurrent reads: pocketbase/read-coalescer.ts).
 */
export interface SessionStoreHarness {
  store: SessionStore;
  /** A new member (a `users` row for PocketBase). */
  addMember(): Promise<SessionMember>;
  /** Deletes the member (PocketBase cascades to their sessions). */
  removeMember(id: string): Promise<void>;
  dispose(): Promise<void>;
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const hash = (n: number) => n.toString(16).padStart(64, 'a');

export function sessionStoreContract(make: () => Promise<SessionStoreHarness>) {
  const withStore = (fn: (h: SessionStoreHarness) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.dispose();
    }
  };
  const input = (userId: string, n = 1, lastSeen = T0) => ({
    userId,
    deviceName: `Phone ${n}`,
    secretHash: hash(n),
    lastSeen,
    idleExpires: lastSeen + 30 * DAY,
    expires: lastSeen + 90 * DAY,
  });

  describe('session store contract', () => {
    it(
      'creates, reads the session with its member in one get, lists without the secret hash',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const bob = await addMember();
        const a = await store.create(input(ann.id, 1));
        await store.create(input(ann.id, 2, T0 + MIN));
        await store.create(input(bob.id, 3));
        expect(a).toMatchObject({ userId: ann.id, deviceName: 'Phone 1', lastSeen: T0, idleExpires: T0 + 30 * DAY, expires: T0 + 90 * DAY });
        expect(a).not.toHaveProperty('secretHash');
        const got = await store.get(a.id);
        expect(got).toMatchObject({ ...a, secretHash: hash(1), member: ann });
        const list = await store.listForUser(ann.id);
        expect(list.map((s) => s.deviceName)).toEqual(['Phone 2', 'Phone 1']); // most recent first
        expect(JSON.stringify(list)).not.toContain(hash(1));
        expect(await store.get('zzzzzzzzzzzzzzz')).toBeNull();
        expect(await store.get('not an id')).toBeNull();
      }),
    );

    it(
      'touch slides the session; on a deleted session it reports false and does not re-create it',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const s = await store.create(input(ann.id));
        expect(await store.touch(s.id, T0 + 10 * MIN, T0 + 10 * MIN + 30 * DAY)).toBe(true);
        expect(await store.get(s.id)).toMatchObject({ lastSeen: T0 + 10 * MIN, idleExpires: T0 + 10 * MIN + 30 * DAY, secretHash: hash(1) });
        await store.delete(s.id);
        await store.delete(s.id); // idempotent
        expect(await store.touch(s.id, T0 + 20 * MIN, T0 + 20 * MIN + 30 * DAY)).toBe(false);
        expect(await store.get(s.id)).toBeNull();
        expect(await store.listForUser(ann.id)).toEqual([]);
      }),
    );

    it(
      'a touch racing a delete never resurrects the session',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const sessions = await Promise.all(Array.from({ length: 40 }, (_, i) => store.create(input(ann.id, i))));
        await Promise.all(
          sessions.flatMap((s, i) => {
            const touch = store.touch(s.id, T0 + MIN, T0 + MIN + 30 * DAY);
            const del = store.delete(s.id);
            return i % 2 ? [touch, del] : [del, touch];
          }),
        );
        for (const s of sessions) expect(await store.get(s.id)).toBeNull();
        expect(await store.listForUser(ann.id)).toEqual([]);
      }),
    );

    it(
      'two touches racing keep the session whole',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const s = await store.create(input(ann.id, 7));
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.touch(s.id, T0 + i * MIN, T0 + i * MIN + 30 * DAY)));
        expect(results.every(Boolean)).toBe(true);
        const got = await store.get(s.id);
        expect(got).toMatchObject({ secretHash: hash(7), deviceName: 'Phone 7', expires: T0 + 90 * DAY, member: ann });
        expect(got!.idleExpires - got!.lastSeen).toBe(30 * DAY); // one touch's pair, never mixed
      }),
    );

    it(
      '200 parallel creates for one member all persist',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const created = await Promise.all(Array.from({ length: 200 }, (_, i) => store.create(input(ann.id, i))));
        expect(new Set(created.map((s) => s.id)).size).toBe(200);
        const listed = await store.listForUser(ann.id);
        expect(new Set(listed.map((s) => s.id))).toEqual(new Set(created.map((s) => s.id)));
      }),
    );

    it(
      'deleteForUser racing creates leaves none of the sessions that existed before it; other members keep theirs',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const bob = await addMember();
        const earlier = await Promise.all(Array.from({ length: 60 }, (_, i) => store.create(input(ann.id, i))));
        const bobs = await store.create(input(bob.id, 999));
        const [, later] = await Promise.all([
          store.deleteForUser(ann.id),
          Promise.all(Array.from({ length: 60 }, (_, i) => store.create(input(ann.id, 100 + i)))),
        ]);
        for (const s of earlier) expect(await store.get(s.id)).toBeNull();
        const left = new Set((await store.listForUser(ann.id)).map((s) => s.id));
        for (const id of left) expect(later.map((s) => s.id)).toContain(id);
        expect(await store.get(bobs.id)).not.toBeNull();
      }),
    );

    it(
      '300 parallel gets of many sessions each answer their own session, with its own member; a delete finished before a get is seen by it',
      withStore(async ({ store, addMember }) => {
        const members = [await addMember(), await addMember(), await addMember()];
        const sessions = await Promise.all(Array.from({ length: 30 }, (_, i) => store.create(input(members[i % 3]!.id, i))));
        const revoked = new Set(sessions.filter((_, i) => i % 5 === 0).map((s) => s.id));
        for (const id of revoked) await store.delete(id);
        const ids = Array.from({ length: 300 }, (_, i) => (i % 31 === 30 ? 'zzzzzzzzzzzzzzz' : sessions[i % 31]!.id));
        const got = await Promise.all(ids.map((id) => store.get(id)));
        got.forEach((g, i) => {
          const id = ids[i]!;
          const s = sessions.find((x) => x.id === id);
          if (!s || revoked.has(id)) expect(g).toBeNull();
          else expect(g).toMatchObject({ id, deviceName: s.deviceName, secretHash: hash(sessions.indexOf(s)), member: members[sessions.indexOf(s) % 3] });
        });
        // Revocation under load: gets keep coming; once delete() has returned, every get that
        // starts after it answers null, whatever reads other gets still have on the wire.
        const victim = sessions[1]!;
        let deleted = false;
        const late: Promise<unknown>[] = [];
        const storm = Array.from({ length: 100 }, async (_, i) => {
          const g = store.get(sessions[(i % 29) + 1]!.id);
          if (deleted) late.push(store.get(victim.id).then((v) => expect(v).toBeNull()));
          return g;
        });
        const del = store.delete(victim.id).then(() => (deleted = true));
        const during = Array.from({ length: 100 }, async () => {
          await del;
          return store.get(victim.id);
        });
        await Promise.all(storm);
        expect(await Promise.all(during)).toEqual(Array.from({ length: 100 }, () => null));
        await Promise.all(late);
      }),
    );

    it(
      "a member's sessions go with the member",
      withStore(async ({ store, addMember, removeMember }) => {
        const ann = await addMember();
        const s = await store.create(input(ann.id));
        await removeMember(ann.id);
        expect(await store.get(s.id)).toBeNull();
        expect(await store.listForUser(ann.id)).toEqual([]);
      }),
    );

    it(
      'expiry rules over the store: idle expiry slides (written at most every TOUCH_EVERY_MS), the absolute lifetime never moves, an expired session is deleted',
      withStore(async ({ store, addMember }) => {
        const ann = await addMember();
        const sessions = createSessions(store, { idleMs: 30 * DAY, maxMs: 90 * DAY });
        let t = T0;
        const { token, session } = await sessions.issue(ann.id, 'Phone', t);
        t += TOUCH_EVERY_MS - 1;
        expect(await sessions.authenticate(token, t)).toMatchObject({ id: session.id, member: ann });
        expect((await store.get(session.id))!.lastSeen).toBe(T0); // no write yet
        t += 1;
        await sessions.authenticate(token, t);
        expect(await store.get(session.id)).toMatchObject({ lastSeen: t, idleExpires: t + 30 * DAY });
        // Used every 29 days: alive until the absolute lifetime, then gone for good.
        for (t += 29 * DAY; t < T0 + 90 * DAY; t += 29 * DAY) expect(await sessions.authenticate(token, t)).not.toBeNull();
        expect(await sessions.authenticate(token, T0 + 90 * DAY)).toBeNull();
        expect(await store.get(session.id)).toBeNull();
        // Idle for 30 days: gone.
        const idle = await sessions.issue(ann.id, 'Tablet', T0);
        expect(await sessions.authenticate(idle.token, T0 + 30 * DAY)).toBeNull();
        expect(await store.get(idle.session.id)).toBeNull();
        // A forged secret is refused and does not delete the real session.
        const real = await sessions.issue(ann.id, 'Laptop', T0);
        expect(await sessions.authenticate(`${real.session.id}.${'x'.repeat(43)}`, T0)).toBeNull();
        expect(await sessions.authenticate(real.token, T0)).not.toBeNull();
      }),
    );
  });
}
