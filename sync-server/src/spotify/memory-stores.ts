import type { AnnotateStore } from './annotate-store';
import { createMemoryAnnotateStore } from './memory-annotate-store';
import type { SpotifyStores } from './feature';
import { createMemoryAppStateStore } from './memory-app-state-store';
import { createMemoryGrantStore } from './memory-grant-store';
import { createMemoryLeaseStore } from './memory-lease-store';
import { createMemoryNowPlayingCache } from './memory-now-playing-cache';
import { createMemoryOAuthStateStore } from './oauth-state-store';

/** Every Spotify store in memory (unit tests); `tracks` defaults to one with no synced sessions. */
export function createMemorySpotifyStores(opts: { callsPer30s?: number; tracks?: AnnotateStore } = {}) {
  const grants = createMemoryGrantStore();
  const stores: SpotifyStores = {
    grants: grants.store,
    leases: createMemoryLeaseStore(),
    appState: createMemoryAppStateStore({ callsPer30s: opts.callsPer30s ?? 1000 }),
    nowPlaying: createMemoryNowPlayingCache(),
    oauthStates: createMemoryOAuthStateStore(),
    tracks: opts.tracks ?? createMemoryAnnotateStore().store,
  };
  return { stores, wedge: grants.wedge };
}
