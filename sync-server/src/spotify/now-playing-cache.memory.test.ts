import { randomBytes } from 'node:crypto';
import { createMemoryNowPlayingCache } from './memory-now-playing-cache';
import { nowPlayingCacheContract } from './now-playing-cache.contract';

nowPlayingCacheContract(async () => ({ cache: createMemoryNowPlayingCache(), newMember: async () => randomBytes(6).toString('hex'), dispose: async () => undefined }));
