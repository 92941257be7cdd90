/**
 * The member's documents (docs/sync-protocol.md §8) through the PWA's engine and the real sync
 * routes over in-memory stores: profile, personal settings and custom plans.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Profile } from '$core/workout';
import { stopwatchPlan } from '$core/workout';
import { adoptGuestDocs, adoptGuestSessions, createStorage, guestDocs } from '$lib/storage';
import { createSyncEngine } from '$lib/sync/engine';
import { memoryLock } from '$lib/sync/lock';
import { forgetMember, setOwner } from '$lib/sync/member-data';
import { recordWorkout } from '$lib/sync/testing/record-workout';
import { startSyncServer, type TestSyncServer } from './support/sync-server';

let n = 0;
const PROFILE: Profile = { age: 40, sex: 'female', weightKg: 70, restingHr: 60, maxHrMethod: 'tanaka', zoneModel: 'percent-max' };

async function device(server: TestSyncServer, clock: { t: number }, owner = 'member1') {
  const now = () => clock.t;
  const storage = createStorage({ name: `sync-docs-${n++}`, now });
  await setOwner(storage.db(), owner);
  const engine = createSyncEngine({ db: storage.db, api: server.api, lock: memoryLock(), now });
  return { storage, engine, db: storage.db() };
}

describe('documents through the engine', () => {
  it('a new device has the profile, settings and plans after its first sync, before the readings stream', async () => {
    const server = await startSyncServer();
    const clock = { t: Date.now() - 60_000 };
    const a = await device(server, clock);
    await a.storage.settings.saveProfile({ ...PROFILE, maxHrMethod: 'measured', maxHr: 184 });
    await a.storage.settings.savePersonal({ units: 'imperial', cueMuted: true });
    const plan = await a.storage.plans.save({ ...stopwatchPlan(), name: 'Long run' });
    await a.storage.settings.savePersonal({ defaultPlan: plan.id });
    expect((await a.db.outbox.toArray()).map((r) => r.type)).toEqual(['doc.patch', 'doc.patch', 'doc.patch', 'doc.patch']);
    expect(await a.engine.run()).toMatchObject({ status: 'synced', pushed: 4, rejected: 0 });

    const b = await device(server, clock);
    expect(await b.storage.settings.profile()).toBeNull();
    expect(await b.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    expect(await b.storage.settings.profile()).toEqual({ ...PROFILE, maxHrMethod: 'measured', maxHr: 184 });
    expect(await b.storage.settings.personal()).toEqual({ cueMuted: true, cueVibrate: true, cueSpeech: true, units: 'imperial', defaultPlan: plan.id, firstDayOfWeek: null });
    expect((await b.storage.plans.list()).map((p) => [p.id, p.name, p.plan.name])).toEqual([[plan.id, 'Long run', 'Long run']]);
    // The documents came with the metadata stream (the first pull), not after the readings.
    expect(server.requests.slice(-2)).toEqual(['pull:sessions', 'pull:chunks']);
  });

  it("two devices' offline profile edits merge per field; a deleted plan stays deleted", async () => {
    const server = await startSyncServer();
    const clock = { t: Date.now() - 60_000 };
    const a = await device(server, clock);
    const b = await device(server, clock);
    await a.storage.settings.saveProfile(PROFILE);
    const plan = await a.storage.plans.save({ ...stopwatchPlan(), name: 'Hills' });
    await a.engine.run();
    await b.engine.run();
    expect((await b.storage.plans.list()).map((p) => p.name)).toEqual(['Hills']);

    // Both offline: A changes weight and max HR; B (later) changes resting HR and weight, and deletes the plan.
    server.offline = true;
    clock.t += 1000;
    await a.storage.settings.saveProfile({ ...PROFILE, weightKg: 68, maxHrMethod: 'measured', maxHr: 184 });
    await a.storage.plans.save({ ...stopwatchPlan(), name: 'Hills, renamed' }, plan.id);
    clock.t += 1000;
    await b.storage.settings.saveProfile({ ...PROFILE, restingHr: 52, weightKg: 69 });
    await b.storage.plans.delete(plan.id);
    // Only the fields each device changed are stamped and queued.
    const bPatch = (await b.db.outbox.toArray()).find((r) => r.type === 'doc.patch')!;
    expect(bPatch.type === 'doc.patch' && bPatch.mutation.type === 'doc.patch' && bPatch.mutation.values).toEqual({ restingHr: 52, weightKg: 69 });
    expect(await a.engine.run()).toMatchObject({ status: 'failed' });
    server.offline = false;

    // B syncs first, then A (whose rename is older than nothing it knows of the delete), then B again.
    await b.engine.run();
    expect(await a.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    await b.engine.run();
    const merged = { ...PROFILE, weightKg: 69, restingHr: 52, maxHrMethod: 'measured', maxHr: 184 };
    expect(await a.storage.settings.profile()).toEqual(merged);
    expect(await b.storage.settings.profile()).toEqual(merged);
    expect(await a.storage.plans.list()).toEqual([]);
    expect(await b.storage.plans.list()).toEqual([]);
    // And it stays deleted: an editor still open on it saves a new plan, never the old id.
    const again = await a.storage.plans.save({ ...stopwatchPlan(), name: 'Back?' }, plan.id);
    expect(again.id).not.toBe(plan.id);
    await a.engine.run();
    await b.engine.run();
    for (const d of [a, b]) expect((await d.storage.plans.list()).map((p) => [p.id, p.name])).toEqual([[again.id, 'Back?']]);
    expect((await b.db.docs.get(`member1/plan:${plan.id}`))!.record.deletedAt).toBeDefined();
  });

  it("a guest's profile and plans are offered with the workouts; sign-out on a shared device leaves none of them", async () => {
    const server = await startSyncServer();
    const clock = { t: Date.now() - 60_000 };
    // The member already has a profile on the account, from another device.
    const other = await device(server, clock);
    await other.storage.settings.saveProfile(PROFILE);
    await other.engine.run();

    // A guest on a shared tablet sets a profile, saves a plan and records a workout.
    const g = await device(server, clock, '');
    clock.t += 1000;
    await g.storage.settings.saveProfile({ ...PROFILE, age: 25, weightKg: 55 });
    const plan = await g.storage.plans.save({ ...stopwatchPlan(), name: 'Guest plan' });
    await recordWorkout(g.storage, () => clock.t, { startedAt: clock.t - 600_000, readings: 60, title: 'Guest run' });
    expect(await g.db.outbox.count()).toBe(0); // guests do not sync

    // They sign up (shared device). The first sync pulls the account's profile, but the
    // guest's stays offered: nothing of it is lost before they choose.
    await setOwner(g.db, 'member1', true);
    await g.engine.run();
    expect(await g.storage.settings.profile()).toEqual(PROFILE);
    expect(await guestDocs(g.db)).toEqual({ profile: true, settings: false, plans: 1 });

    // "Add to my account": the workout, the profile and the plan go to the account.
    await adoptGuestSessions(g.db, 'member1', clock.t);
    expect(await adoptGuestDocs(g.db, clock.t)).toBe(2);
    expect(await guestDocs(g.db)).toEqual({ profile: false, settings: false, plans: 0 });
    expect(await g.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    await other.engine.run();
    expect(await other.storage.settings.profile()).toEqual({ ...PROFILE, age: 25, weightKg: 55 });
    expect((await other.storage.plans.list()).map((p) => [p.id, p.name])).toEqual([[plan.id, 'Guest plan']]);
    expect((await other.storage.sessions.list()).sessions.map((s) => s.title)).toEqual(['Guest run']);

    // Sign-out on the shared tablet: no profile, settings, plans or documents stay behind.
    await forgetMember(g.db, 'member1');
    expect(await g.storage.settings.profile()).toBeNull();
    expect(await g.storage.plans.list()).toEqual([]);
    expect(await g.db.docs.count()).toBe(0);
    expect(await g.db.settings.count()).toBe(0);
  });
});
