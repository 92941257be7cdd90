import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './database';
import { guestDocs, viewSettings } from './docs';
import { DB_VERSIONS, GUEST } from './schema';

describe('Dexie version 3 upgrade', () => {
  it("makes the profile, cue settings and plans already on the device a guest's documents", async () => {
    const name = `docs-upgrade-${Date.now()}`;
    const old = new Dexie(name);
    for (const { version, stores } of DB_VERSIONS.filter((v) => v.version <= 2)) old.version(version).stores(stores);
    await old.table('settings').bulkPut([
      { key: 'profile', value: { age: 40, sex: 'male', weightKg: 80, restingHr: 55, maxHrMethod: 'tanaka', zoneModel: 'percent-max' } },
      { key: 'cues', value: { muted: true, vibrate: false } },
    ]);
    await old.table('plans').put({ id: 'p1', name: 'Hills', plan: { v: 1, mode: 'stopwatch', name: 'Hills' }, createdAt: 1, updatedAt: 2 });
    old.close();

    const db = createDatabase({ name });
    expect(await guestDocs(db)).toEqual({ profile: true, settings: true, plans: 1 });
    const rows = await db.docs.toArray();
    expect(rows.every((r) => r.owner === GUEST)).toBe(true);
    expect(rows.find((r) => r.record.type === 'plan')!.record.fields['name']!.value).toBe('Hills');
    expect(await viewSettings(db)).toMatchObject({ cueMuted: true, cueVibrate: false });
    db.close();
  });
});
