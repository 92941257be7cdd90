import type PocketBase from 'pocketbase';
import { createSpotifyFeature, type SpotifyFeatureDeps } from './feature';
import { createPbSpotifyStores } from './pb-stores';

/**
 * The Spotify feature over PocketBase: the composition root main.ts calls. Everything else
 * (feature.ts and below) takes its stores as parameters and never imports 'pocketbase'.
 */
export function createSpotifyService(deps: Omit<SpotifyFeatureDeps, 'stores'> & { pb: PocketBase }) {
  const { pb, ...rest } = deps;
  return createSpotifyFeature({ ...rest, stores: createPbSpotifyStores(pb, { callsPer30s: deps.config.callsPer30s }) });
}

export { MANAGE_APPS_URL, NOW_PLAYING_TTL_MS, startSpotifyJobs, type NowPlayingSource, type NowPlayingView, type SpotifyService } from './feature';
