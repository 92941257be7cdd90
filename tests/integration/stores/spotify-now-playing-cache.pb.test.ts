import type PocketBase from 'pocketbase';
import { afterAll, beforeAll } from 'vitest';
import { nowPlayingCacheContract } from '../../../sync-server/src/spotify/now-playing-cache.contract';
import { createPbNowPlayingCache } from '../../../sync-server/src/spotify/pb-now-playing-cache';
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

nowPlayingCacheContract(async () => ({ cache: createPbNowPlayingCache(admin), newMember: () => newUser(admin), dispose: async () => undefined }));
