import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { grantStoreContract } from '../../../sync-server/src/spotify/grant-store.contract';
import { createPbGrantStore } from '../../../sync-server/src/spotify/pb-grant-store';
import { startTestPocketBase, type TestPocketBase } from '../../support/pocketbase';
import { newUser, storeAdmin } from './spotify-support';

let pb: TestPocketBase;
let admin: PocketBase;

beforeAll(async () => {
  pb = await startTestPocketBase();
  admin = await storeAdmin(pb);
});
afterAll(async () => {
  await pb?.dispose();
});

grantStoreContract(async () => ({
  store: createPbGrantStore(admin),
  newMember: () => newUser(admin),
  // The old bug, reproduced directly: a ledger row for the next version, the grant left behind.
  wedge: async (id) => {
    const g = await admin.collection('spotify_grants').getOne(id);
    await admin.collection('spotify_grant_versions').create({ grant: id, version: g.version + 1 });
  },
  dispose: async () => undefined,
}));
