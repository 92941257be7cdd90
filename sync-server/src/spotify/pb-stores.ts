import { randomBytes } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { createPbAnnotateStore } from './pb-annotate-store';
import type { SpotifyStores } from './feature';
import { createLeases } from './lease';
import { createPbAppStateStore } from './pb-app-state-store';
import { createPbGrantStore } from './pb-grant-store';
import { createPbNowPlayingCache } from './pb-now-playing-cache';
import { createPbOAuthStateStore } from './pb-oauth-state-store';

/** Every Spotify store in PocketBase, for one server process. */
export function createPbSpotifyStores(pb: PocketBase, opts: { callsPer30s: number; holder?: string }): SpotifyStores {
  const holder = opts.holder ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  return {
    grants: createPbGrantStore(pb),
    leases: createLeases(pb, holder),
    appState: createPbAppStateStore(pb, { callsPer30s: opts.callsPer30s }),
    nowPlaying: createPbNowPlayingCache(pb),
    oauthStates: createPbOAuthStateStore(pb),
    tracks: createPbAnnotateStore(pb),
  };
}
