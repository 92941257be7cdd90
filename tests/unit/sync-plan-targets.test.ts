/**
 * Heart-rate targets in plans and the spoken-cue setting through the PWA's sync engine and the
 * real sync routes (docs/sync-protocol.md §8): a plan travels as JSON in its `body` register.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DocRecordSchema, docForProtocol, planFromValues, planValues, PushRequestSchema } from '$core/sync';
import type { IntervalPlan } from '$core/workout';
import { createStorage } from '$lib/storage';
import { createSyncEngine } from '$lib/sync/engine';
import { memoryLock } from '$lib/sync/lock';
import { setOwner } from '$lib/sync/member-data';
import { startSyncServer, type TestSyncServer } from './support/sync-server';

let n = 0;
const HLC = '001700000000000-0000-phone-a1';
async function device(server: TestSyncServer, now: () => number) {
  const storage = createStorage({ name: `sync-targets-${n++}`, now });
  await setOwner(storage.db(), 'member1');
  return { storage, engine: createSyncEngine({ db: storage.db, api: server.api, lock: memoryLock(), now }) };
}

const plan: IntervalPlan = {
  v: 1,
  mode: 'intervals',
  name: 'Targets',
  blocks: [
    { name: 'Hills', workMs: 60_000, restMs: 30_000, rounds: 4, targetBpm: { min: 140, max: 160 } },
    { name: 'Tempo', workMs: 300_000, restMs: 0, rounds: 1, targetZone: 3 },
    { name: 'Easy', workMs: 120_000, restMs: 0, rounds: 1 },
  ],
};

describe('plan targets and cue settings through sync', () => {
  it('a plan with a zone target and a bpm range arrives unchanged on another device, with the speech setting', async () => {
    const server = await startSyncServer();
    const t = Date.now() - 60_000;
    const a = await device(server, () => t);
    const saved = await a.storage.plans.save(plan);
    await a.storage.settings.saveCuePrefs({ muted: false, vibrate: true, speech: false });
    expect(await a.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });

    const b = await device(server, () => t);
    expect(await b.engine.run()).toMatchObject({ status: 'synced', rejected: 0 });
    const rows = await b.storage.plans.list();
    expect(rows.map((r) => r.id)).toEqual([saved.id]);
    expect(rows[0]!.plan).toEqual(plan);
    expect(await b.storage.settings.cuePrefs()).toEqual({ muted: false, vibrate: true, speech: false });
  });

  it('a plan body saved before targets existed still reads as a plan', () => {
    const old = { name: 'Old', body: { v: 1, mode: 'intervals', name: '-', blocks: [{ name: 'A', workMs: 20_000, restMs: 10_000, rounds: 8 }] } };
    expect(planFromValues(JSON.parse(JSON.stringify(old)))).toEqual({ ...old.body, name: 'Old' });
    expect(planFromValues(JSON.parse(JSON.stringify(planValues(plan))))).toEqual(plan);
  });

  it('saving the cue switches writes only the ones that changed (an older app meets cueSpeech only once it is used)', async () => {
    const server = await startSyncServer();
    const a = await device(server, () => Date.now());
    await a.storage.settings.saveCuePrefs({ muted: true, vibrate: true, speech: true });
    const patches = (await a.storage.db().outbox.toArray()).map((r) => JSON.stringify(r));
    expect(patches).toHaveLength(1);
    expect(patches[0]).toContain('cueMuted');
    expect(patches[0]).not.toContain('cueSpeech');
  });
});

describe('cueSpeech and older protocols', () => {
  const settings = { type: 'settings' as const, id: 'settings', fields: { cueMuted: { value: true, hlc: HLC }, cueSpeech: { value: false, hlc: HLC } } };
  const patch = (protocol: number) =>
    PushRequestSchema.safeParse({ protocol, deviceId: 'phone-a1', mutations: [{ id: '00000000-0000-4000-8000-000000000001', type: 'doc.patch', doc: 'settings', docId: 'settings', values: { cueSpeech: false }, hlc: HLC }] });

  it('a pull of protocol 3 or older gets the settings without cueSpeech, which its strict schema would refuse', () => {
    expect(docForProtocol(settings, 4)).toBe(settings);
    expect(docForProtocol(settings, 3)).toEqual({ ...settings, fields: { cueMuted: settings.fields.cueMuted } });
    expect(DocRecordSchema.safeParse(docForProtocol(settings, 3)).success).toBe(true);
  });

  it('only protocol 4 may push cueSpeech', () => {
    expect(patch(4).success).toBe(true);
    expect(patch(3).success).toBe(false);
  });
});
