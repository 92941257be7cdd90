import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { appStateContract } from '../../../sync-server/src/spotify/app-state.contract';
import { createPbAppStateStore } from '../../../sync-server/src/spotify/pb-app-state-store';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';
import { storeAdmin } from './spotify-support';

let pb: TestPocketBase;
let a: PocketBase;
let b: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  [a, b] = await Promise.all([storeAdmin(pb), storeAdmin(pb)]);
});
afterAll(async () => {
  await pb?.dispose();
});

async function clear(col: string) {
  for (const r of await a.collection(col).getFullList({ fields: 'id' })) await a.collection(col).delete(r.id);
}

appStateContract(async () => ({
  async make(limit) {
    await clear('spotify_call_slots');
    await clear('spotify_app_state');
    return [createPbAppStateStore(a, { callsPer30s: limit }), createPbAppStateStore(b, { callsPer30s: limit })];
  },
  dispose: async () => undefined,
}));
