import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { createLeases } from '../../../sync-server/src/spotify/lease';
import { leaseStoreContract } from '../../../sync-server/src/spotify/lease-store.contract';
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

// Both lease collections share the implementation; the sync maintenance one is used here too.
for (const collection of ['spotify_leases', 'sync_leases']) {
  leaseStoreContract(async () => ({ stores: [createLeases(a, 'process-a', collection), createLeases(b, 'process-b', collection)], dispose: async () => undefined }));
}
