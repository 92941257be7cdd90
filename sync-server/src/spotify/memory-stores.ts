import type { AnnotateStore } from './annotate-store';
import type { SpotifyStores } from './feature';
import { createMemoryAppStateStore } from './memory-app-state-store';
import { createMemoryGrantStore } from './memory-grant-store';
import { createMemoryLeaseStore } from './memory-lease-store';
import { createMemoryNowPlayingCache } from './memory-now-playing-cache';
import { createMemoryOAuthStateStore } from './oauth-state-store';

/** Every Spotify store in memory (unit tests); `tracks` defaults to a store with no sessions. */
export function createMemorySpotifyStores(opts: { callsPer30s?: number; tracks?: AnnotateStore } = {}) {
  const grants = createMemoryGrantStore();
  const stores: SpotifyStores = {
    grants: grants.store,
    leases: createMemoryLeaseStore(),
    appState: createMemoryAppStateStore({ callsPer30s: opts.callsPer30s ?? 1000 }),
    nowPlaying: createMemoryNowPlayingCache(),
    oauthStates: createMemoryOAuthStateStore(),
    tracks: opts.tracks ?? emptyTracks(),
  };
  return { stores, wedge: grants.wedge };
}

function emptyTracks(): AnnotateStore {
  const none = async () => [];
  return {
    connectedMembers: async () => [],
    sessionsChangedAfter: async () => ({ finished: [], deleted: [], maxSeq: 0, more: false }),
    finishedSession: async () => 'gone' as const,
    ownsSession: async () => false,
    readings: none,
    scanCursor: async () => 0,
    setScanCursor: async () => undefined,
    ensureJob: async () => undefined,
    due: none,
    job: async () => null,
    jobOf: async () => null,
    updateJob: async () => undefined,
    tracks: none,
    allTracks: none,
    saveTracks: async () => 0,
    removeSessionTracks: async () => undefined,
  } as unknown as AnnotateStore;
}
