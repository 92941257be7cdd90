/**
 * Typed calls for /api/v1/spotify. The server is the only holder of Spotify tokens: these
 * answers carry states, never credentials. Each call returns an ApiResult; none throws.
 */
import * as z from 'zod/mini';
import type { ApiResult } from './errors';
import type { HttpClient } from './http';

const iso = z.nullable(z.string());

export const spotifyStatusSchema = z.object({
  configured: z.boolean(),
  connected: z.optional(z.boolean()),
  status: z.optional(z.string()),
  needsReconnect: z.optional(z.boolean()),
  authorizedAt: z.optional(iso),
  consentExpiresAt: z.optional(iso),
  consentExpiresSoon: z.optional(z.boolean()),
  manageAppsUrl: z.optional(z.string()),
  app: z.optional(z.object({ alarm: z.nullable(z.string()), circuit: z.nullable(z.object({ reason: z.string(), until: z.string() })) })),
});
export type SpotifyStatus = z.infer<typeof spotifyStatusSchema>;

const itemSchema = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.string()),
  album: z.nullable(z.string()),
  albumArtUrl: z.nullable(z.string()),
});

export const nowPlayingSchema = z.object({
  type: z.enum(['track', 'episode', 'ad', 'none']),
  isPlaying: z.boolean(),
  progressMs: z.number(),
  durationMs: z.nullable(z.number()),
  item: z.nullable(itemSchema),
  stale: z.boolean(),
  degraded: z.nullable(z.string()),
  fetchedAt: z.string(),
});
export type NowPlaying = z.infer<typeof nowPlayingSchema>;

const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  isActive: z.boolean(),
  isRestricted: z.boolean(),
  volumePercent: z.nullable(z.number()),
  supportsVolume: z.boolean(),
});
export type SpotifyDevice = z.infer<typeof deviceSchema>;

const playlistSchema = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  owner: z.nullable(z.string()),
  imageUrl: z.nullable(z.string()),
  trackCount: z.nullable(z.number()),
});
export type SpotifyPlaylist = z.infer<typeof playlistSchema>;

/** What identifies a track on screen, in a session's tracks and in the power songs alike. */
const trackFields = {
  trackId: z.string(),
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.string()),
  album: z.nullable(z.string()),
  albumArtUrl: z.nullable(z.string()),
};

const sessionTrackSchema = z.object({
  ...trackFields,
  durationMs: z.number(),
  startedAt: z.string(),
  playedAt: z.string(),
  avgBpm: z.nullable(z.number()),
  peakBpm: z.nullable(z.number()),
});
export type SessionTrack = z.infer<typeof sessionTrackSchema>;

export const sessionTracksSchema = z.object({
  sessionId: z.string(),
  state: z.enum(['waiting', 'checking', 'done', 'failed', 'gone', 'unfinished']),
  incomplete: z.boolean(),
  checkedAt: iso,
  tracks: z.array(sessionTrackSchema),
});
export type SessionTracks = z.infer<typeof sessionTracksSchema>;

const powerSongSchema = z.object({
  ...trackFields,
  plays: z.number(),
  sessions: z.number(),
  avgBpm: z.number(),
  peakBpm: z.number(),
  lastPlayedAt: z.string(),
});
export type PowerSong = z.infer<typeof powerSongSchema>;

const okSchema = z.object({ ok: z.boolean() });

export type PlayerCommand = 'play' | 'pause' | 'next' | 'previous';

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
    status: (signal) => http.request(`${base}/status`, { signal, schema: spotifyStatusSchema }),
    disconnect: (signal) => http.request(`${base}/disconnect`, { method: 'POST', signal, schema: z.object({ manageAppsUrl: z.string() }) }),
    nowPlaying: (signal) => http.request(`${base}/now-playing`, { signal, schema: nowPlayingSchema }),
    devices: async (signal) => pick(await http.request(`${base}/devices`, { signal, schema: z.object({ devices: z.array(deviceSchema) }) }), (v) => v.devices),
    command: async (command, signal) => drop(await http.request(`${base}/player/${command}`, { method: 'POST', signal, schema: okSchema })),
    playPlaylist: async (contextUri, signal) => drop(await http.request(`${base}/player/play`, { method: 'POST', body: { contextUri }, signal, schema: okSchema })),
    setVolume: async (percent, signal) => drop(await http.request(`${base}/player/volume`, { method: 'PUT', body: { percent }, signal, schema: okSchema })),
    mute: async (signal) => drop(await http.request(`${base}/player/mute`, { method: 'POST', signal, schema: okSchema })),
    unmute: async (signal) => drop(await http.request(`${base}/player/unmute`, { method: 'POST', signal, schema: okSchema })),
    transfer: async (deviceId, play, signal) =>
      drop(await http.request(`${base}/player/transfer`, { method: 'POST', body: { deviceId, play }, signal, schema: okSchema })),
    searchPlaylists: async (q, signal) =>
      pick(
        await http.request(`${base}/search/playlists?q=${encodeURIComponent(q)}`, { signal, schema: z.object({ playlists: z.array(playlistSchema) }) }),
        (v) => v.playlists,
      ),
    sessionTracks: (sessionId, signal) => http.request(`${base}/sessions/${encodeURIComponent(sessionId)}/tracks`, { signal, schema: sessionTracksSchema }),
    powerSongs: async (signal) => pick(await http.request(`${base}/power-songs`, { signal, schema: z.object({ songs: z.array(powerSongSchema) }) }), (v) => v.songs),
  };
}
