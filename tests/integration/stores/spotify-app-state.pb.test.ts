import type PocketBase from 'pocketbase';
import { beforeAll } from 'vitest';
import { appStateContract } from '../../../sync-server/src/spotify/app-state.contract';
import { createPbAppStateStore } from '../../../sync-server/src/spotify/pb-app-state-store';
import { anotherAdmin, useStoreDb } from './store-db';

const s = useStoreDb();
// Two clients of their own: two server processes sharing one PocketBase.
let a: PocketBase;
let b: PocketBase;
beforeAll(async () => {
  [a, b] = await Promise.all([anotherAdmin(s.pb), anotherAdmin(s.pb)]);
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
