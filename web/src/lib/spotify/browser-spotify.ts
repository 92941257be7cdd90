/**
 * The Spotify API for screens: same origin, through the app's one fetch caller (lib/api/http).
 * Spotify screens make their own instance; nothing here is a module-level singleton.
 */
import { createHttpClient } from '$lib/api';
import { createSpotifyApi, type SpotifyApi } from '$lib/api/spotify-api';

export function createBrowserSpotifyApi(): SpotifyApi {
  return createSpotifyApi(createHttpClient());
}
