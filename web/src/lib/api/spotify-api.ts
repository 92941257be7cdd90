/**
 * Typed calls for /api/v1/spotify. The server is the only holder of Spotify tokens: these
 * answers carry states, never credentials. Each call returns an ApiResult; none throws.
 */
import {
  NowPlayingSchema,
  PowerSongsResponseSchema,
  SessionTracksSchema,
  SpotifyDevicesResponseSchema,
  SpotifyDisconnectResponseSchema,
  SpotifyOkSchema,
  SpotifyPlaylistsResponseSchema,
  SpotifyStatusSchema,
  type NowPlaying,
  type PlayerCommand,
  type PowerSong,
  type SessionTracks,
  type SpotifyDevice,
  type SpotifyPlaylist,
  type SpotifyStatus,
} from '$core/api';
import type { ApiResult } from './errors';
import type { HttpClient } from './http';

// The shapes are the REST contract's (core/api/spotify.ts), shared with the server's routes.
export type { NowPlaying, PlayerCommand, PowerSong, SessionTracks, SpotifyDevice, SpotifyPlaylist, SpotifyStatus };

export interface SpotifyApi {
  status(signal?: AbortSignal): Promise<ApiResult<SpotifyStatus>>;
  disconnect(signal?: AbortSignal): Promise<ApiResult<{ manageAppsUrl: string }>>;
  nowPlaying(signal?: AbortSignal): Promise<ApiResult<NowPlaying>>;
  devices(signal?: AbortSignal): Promise<ApiResult<SpotifyDevice[]>>;
  command(command: PlayerCommand, signal?: AbortSignal): Promise<ApiResult<void>>;
  playPlaylist(contextUri: string, signal?: AbortSignal): Promise<ApiResult<void>>;
  setVolume(percent: number, signal?: AbortSignal): Promise<ApiResult<void>>;
  mute(signal?: AbortSignal): Promise<ApiResult<void>>;
  unmute(signal?: AbortSignal): Promise<ApiResult<void>>;
  transfer(deviceId: string, play: boolean, signal?: AbortSignal): Promise<ApiResult<void>>;
  searchPlaylists(q: string, signal?: AbortSignal): Promise<ApiResult<SpotifyPlaylist[]>>;
  sessionTracks(sessionId: string, signal?: AbortSignal): Promise<ApiResult<SessionTracks>>;
  powerSongs(signal?: AbortSignal): Promise<ApiResult<PowerSong[]>>;
}

const drop = <T>(r: ApiResult<T>): ApiResult<void> => (r.ok ? { ok: true, value: undefined } : r);
const pick = <T, U>(r: ApiResult<T>, f: (v: T) => U): ApiResult<U> => (r.ok ? { ok: true, value: f(r.value) } : r);

export function createSpotifyApi(http: HttpClient): SpotifyApi {
  const base = '/spotify';
  return {
    status: (signal) => http.request(`${base}/status`, { signal, schema: SpotifyStatusSchema }),
    disconnect: (signal) => http.request(`${base}/disconnect`, { method: 'POST', signal, schema: SpotifyDisconnectResponseSchema }),
    nowPlaying: (signal) => http.request(`${base}/now-playing`, { signal, schema: NowPlayingSchema }),
    devices: async (signal) => pick(await http.request(`${base}/devices`, { signal, schema: SpotifyDevicesResponseSchema }), (v) => v.devices),
    command: async (command, signal) => drop(await http.request(`${base}/player/${command}`, { method: 'POST', signal, schema: SpotifyOkSchema })),
    playPlaylist: async (contextUri, signal) => drop(await http.request(`${base}/player/play`, { method: 'POST', body: { contextUri }, signal, schema: SpotifyOkSchema })),
    setVolume: async (percent, signal) => drop(await http.request(`${base}/player/volume`, { method: 'PUT', body: { percent }, signal, schema: SpotifyOkSchema })),
    mute: async (signal) => drop(await http.request(`${base}/player/mute`, { method: 'POST', signal, schema: SpotifyOkSchema })),
    unmute: async (signal) => drop(await http.request(`${base}/player/unmute`, { method: 'POST', signal, schema: SpotifyOkSchema })),
    transfer: async (deviceId, play, signal) =>
      drop(await http.request(`${base}/player/transfer`, { method: 'POST', body: { deviceId, play }, signal, schema: SpotifyOkSchema })),
    searchPlaylists: async (q, signal) =>
      pick(
        await http.request(`${base}/search/playlists?q=${encodeURIComponent(q)}`, { signal, schema: SpotifyPlaylistsResponseSchema }),
        (v) => v.playlists,
      ),
    sessionTracks: (sessionId, signal) => http.request(`${base}/sessions/${encodeURIComponent(sessionId)}/tracks`, { signal, schema: SessionTracksSchema }),
    powerSongs: async (signal) => pick(await http.request(`${base}/power-songs`, { signal, schema: PowerSongsResponseSchema }), (v) => v.songs),
  };
}
