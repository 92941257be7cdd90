/**
 * The first day of the week through the PWA's sync engine and the real sync routes (in-memory
 * stores): two devices of one member whose browsers have different locales (en-US starts weeks
 * on Sunday, de-DE on Monday) group the same recorded sessions into the same weeks once the
 * member chose a first day on one of them. The sessions travel too, so the pulled rows' summary
 * index (storage/session-facts.ts) is what the second device adds up.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createStorage } from '$lib/storage';
import { memberFirstDay } from '$lib/history/progress-facts';
import { SessionList } from '$lib/history/session-list.svelte';
import { createSyncEngine } from '$lib/sync/engine';
import { memoryLock } from '$lib/sync/lock';
import { setOwner } from '$lib/sync/member-data';
import { recordWorkout } from '$lib/sync/testing/record-workout';
import { startSyncServer, type TestSyncServer } from './support/sync-server';

let n = 0;
const DAY = 86_400_000;
// Wednesday 2 December 2026, 12:00 UTC; the sessions are at noon UTC on the days before.
const NOW = Date.UTC(2026, 11, 2, 12);

async function device(server: TestSyncServer, locale: string) {
  const storage = createStorage({ name: `sync-first-day-${n++}` });
  await setOwner(storage.db(), 'member1');
  const engine = createSyncEngine({ db: storage.db, api: server.api, lock: memoryLock() });
  /** The weeks History shows on this device: its list, grouped by the member's first day or its locale's. */
  const weeks = async () => {
    const list = new SessionList(storage.sessions, { now: () => NOW, deviceOffset: () => 0, firstDay: memberFirstDay(await storage.settings.personal(), locale) });
    await list.loadProgress();
    return { firstDay: list.firstDay, weeks: list.weeks.filter((w) => w.sessions > 0).map((w) => ({ startDay: w.startDay, sessions: w.sessions, durationMs: w.durationMs })) };
  };
  return { storage, engine, weeks };
}

describe('first day of the week on two devices', () => {
  it('different locales group differently until the member picks a day; then both group the same weeks', async () => {
    const server = await startSyncServer();
    const phone = await device(server, 'en-US');
    // Sunday 29 November, Monday 30 November, Saturday 28 November (noon UTC).
    for (const [i, daysAgo] of [3, 2, 4].entries()) {
      await recordWorkout(phone.storage, Date.now, { startedAt: NOW - daysAgo * DAY, readings: 120 + i * 60, title: `W${i}`, seed: i });
    }
    expect(await phone.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    const laptop = await device(server, 'de-DE');
    expect(await laptop.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });

    // Unset: each device its locale's (Sunday vs Monday): the Sunday session lands in different weeks.
    const unsetPhone = await phone.weeks();
    const unsetLaptop = await laptop.weeks();
    expect([unsetPhone.firstDay, unsetLaptop.firstDay]).toEqual([7, 1]);
    expect(unsetPhone.weeks.map((w) => w.sessions)).toEqual([1, 2]);
    expect(unsetLaptop.weeks.map((w) => w.sessions)).toEqual([2, 1]);

    // The member picks Monday on the phone (Settings); it syncs to the laptop.
    await phone.storage.settings.savePersonal({ firstDayOfWeek: 1 });
    expect(await phone.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    expect(await laptop.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    expect((await laptop.storage.settings.personal()).firstDayOfWeek).toBe(1);

    const setPhone = await phone.weeks();
    const setLaptop = await laptop.weeks();
    expect(setPhone.firstDay).toBe(1);
    expect(setLaptop).toEqual(setPhone);
    // Monday 23 November holds Saturday and Sunday; Monday 30 November the Monday session.
    expect(setPhone.weeks.map((w) => [w.startDay, w.sessions])).toEqual([
      [Date.UTC(2026, 10, 23) / DAY, 2],
      [Date.UTC(2026, 10, 30) / DAY, 1],
    ]);

    // Back to "this device's default" (null) on the laptop: both follow their locales again.
    await laptop.storage.settings.savePersonal({ firstDayOfWeek: null });
    expect(await laptop.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    expect(await phone.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    expect((await phone.weeks()).firstDay).toBe(7);
  });
});
