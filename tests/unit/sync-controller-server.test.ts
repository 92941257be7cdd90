import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from '$lib/storage';
import type { BackgroundSync } from '$lib/sync/background-sync';
import { memoryLock } from '$lib/sync/lock';
import { SyncController } from '$lib/sync/sync.svelte';
import { startSyncServer, type TestSyncServer } from './support/sync-server';
import { recordWorkout } from '$lib/sync/testing/record-workout';

let n = 0;
const controllers: SyncController[] = [];

afterEach(() => {
  for (const c of controllers.splice(0)) c.destroy();
});

/** A signed-in device whose Background Sync adapter only counts registrations. */
async function device(server: TestSyncServer, online = true) {
  const storage = createStorage({ name: `sync-controller-${n++}` });
  const registrations: string[] = [];
  const backgroundSync: BackgroundSync = {
    async register() {
      registrations.push('hrm-sync');
      return 'registered';
    },
  };
  const sync = new SyncController({ storage, api: server.api, lock: memoryLock(), backgroundSync, online: () => online });
  controllers.push(sync);
  await sync.init();
  await sync.memberSignedIn('member1');
  await sync.sync('manual'); // waits for the sign-in run, which had nothing to push
  expect(registrations).toEqual([]);
  return { storage, sync, registrations };
}

const record = (storage: Storage) => recordWorkout(storage, Date.now, { startedAt: Date.now() - 600_000, readings: 90, title: 'W' });

describe('handing the push to the service worker', () => {
  it('a workout recorded offline is registered before the run and again after it fails', async () => {
    const server = await startSyncServer();
    server.offline = true;
    const { storage, sync, registrations } = await device(server);
    await record(storage);
    await sync.sync('workout');
    expect(registrations).toEqual(['hrm-sync', 'hrm-sync']);
  });

  it('a finished workout is registered even when the run then succeeds', async () => {
    const server = await startSyncServer();
    const { storage, sync, registrations } = await device(server);
    await record(storage);
    await sync.sync('workout');
    expect(registrations).toEqual(['hrm-sync']);
    expect(server.sessionIds()).toHaveLength(1);
  });

  it('no registration for a push that went through, nor for an offline device with nothing to push', async () => {
    const server = await startSyncServer();
    const { storage, sync, registrations } = await device(server);
    await record(storage);
    await sync.sync('manual');
    expect(registrations).toEqual([]);
    expect(server.sessionIds()).toHaveLength(1);

    const idle = await device(server, false);
    await idle.sync.sync('periodic');
    expect(idle.registrations).toEqual([]);
  });
});

describe('guest data at sign-in', () => {
  it('offers the guest’s workouts, profile and plans together, and adds them all', async () => {
    const server = await startSyncServer();
    const storage = createStorage({ name: `sync-controller-${n++}` });
    const sync = new SyncController({ storage, api: server.api, lock: memoryLock(), online: () => true });
    controllers.push(sync);
    await sync.init();
    await storage.settings.saveProfile({ age: 25, sex: 'female', weightKg: 55, restingHr: 58, maxHrMethod: 'tanaka', zoneModel: 'percent-max' });
    await storage.plans.save({ v: 1, mode: 'stopwatch', name: 'Mine' });
    await record(storage);
    await sync.memberSignedIn('member1');
    expect([sync.guestCount, sync.guestDocs]).toEqual([1, { profile: true, settings: false, plans: 1 }]);
    expect(await sync.addGuestWorkouts()).toBe(1);
    expect([sync.guestCount, sync.guestDocs]).toEqual([0, { profile: false, settings: false, plans: 0 }]);
    await sync.sync('manual');
    const pushed = server.pushes.flat();
    expect(pushed.filter((m) => m.type === 'doc.patch').map((m) => m.type === 'doc.patch' && m.doc).sort()).toEqual(['plan', 'profile']);
    expect(pushed.some((m) => m.type === 'session.upsert')).toBe(true);
  });
});
