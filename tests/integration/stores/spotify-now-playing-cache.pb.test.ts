import { nowPlayingCacheContract } from '../../../sync-server/src/spotify/now-playing-cache.contract';
import { createPbNowPlayingCache } from '../../../sync-server/src/spotify/pb-now-playing-cache';
import { newMember, useStoreDb } from './store-db';

const s = useStoreDb();

nowPlayingCacheContract(async () => ({ cache: createPbNowPlayingCache(s.admin), newMember: () => newMember(s.admin), dispose: async () => undefined }));
