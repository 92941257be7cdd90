import type PocketBase from 'pocketbase';
import { beforeAll } from 'vitest';
import { createLeases } from '../../../sync-server/src/spotify/lease';
import { leaseStoreContract } from '../../../sync-server/src/spotify/lease-store.contract';
import { anotherAdmin, useStoreDb } from './store-db';

const s = useStoreDb();
// Two clients of their own: two server processes sharing one PocketBase.
let a: PocketBase;
let b: PocketBase;
beforeAll(async () => {
  [a, b] = await Promise.all([anotherAdmin(s.pb), anotherAdmin(s.pb)]);
});

// Both lease collections share the implementation; the sync maintenance one is used here too.
for (const collection of ['spotify_leases', 'sync_leases']) {
  leaseStoreContract(async () => ({ stores: [createLeases(a, 'process-a', collection), createLeases(b, 'process-b', collection)], dispose: async () => undefined }));
}
