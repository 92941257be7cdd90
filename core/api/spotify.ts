/**
 * /api/v1/spotify: request bodies as the server validates them (sync-server/src/routes/spotify.ts)
 * and the answers the PWA checks (web/src/lib/api/spotify-api.ts). The server is the only holder
 * of Spotify tokens: these answers carry states, never credentials.
 */
import { z } from 'zod';
import { MUSIC_COMMANDS } from '../rooms/music';

const iso = z.string().nullable();

export const SpotifyVolumeBodySchema = z.strictObject({ percent: z.number().int().min(0).max(100) });
export const SpotifyTransferBodySchema = z.strictObject({ deviceId: z.string().min(1).max(200), play: z.boolean().optional() });
export const SpotifyPlayBodySchema = z.strictObject({ contextUri: z.string().regex(/^spotify:(playlist|album|artist|show):[A-Za-z0-9]{1,64}$/).optional() });
/** GET /search/playlists?q= */
export const SpotifySearchQuerySchema = z.string().trim().min(1).max(200);
/** GET /sessions/:sessionId/tracks: a synced workout's id (a UUID), checked at the edge before any store sees it. */
export const SpotifySessionIdSchema = z.string().regex(/^[0-9a-f-]{36}$/);
/** GET /callback (Spotify's redirect back): every field optional, each bounded. */
export const SpotifyCallbackQuerySchema = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
});

/**
 * GET /status. `{ configured: false }` alone when Spotify is not set up on the server; without a
 * grant, no grant fields; otherwise everything below.
 */
export const SpotifyStatusSchema = z.object({
  configured: z.boolean(),
  connected: z.boolean().optional(),
  /** Older clients' field: `state` says more. */
  status: z.enum(['ok', 'needs_reconnect', 'not_connected']).optional(),
  needsReconnect: z.boolean().optional(),
  /** The whole truth in one field: connected, temporarily unavailable (retry later), or reconnect needed. */
  state: z.enum(['connected', 'unavailable', 'needs_reconnect', 'not_connected']).optional(),
  unavailable: z.boolean().optional(),
  retryAfterSec: z.number().int().nonnegative().optional(),
  authorizedAt: iso.optional(),
  consentExpiresAt: iso.optional(),
  consentExpiresSoon: z.boolean().optional(),
  scopes: z.array(z.string()).optional(),
  consecutiveFailures: z.number().int().nonnegative().optional(),
  lastFailure: z.object({ type: z.string(), at: iso }).nullable().optional(),
  lastSuccessAt: iso.optional(),
  /** Muted from this app (mute remembers the volume to come back to). */
  muted: z.boolean().optional(),
  manageAppsUrl: z.string().optional(),
  app: z.object({ alarm: z.string().nullable(), circuit: z.object({ reason: z.string(), until: z.string() }).nullable() }).optional(),
});
export type SpotifyStatus = z.infer<typeof SpotifyStatusSchema>;

export const SpotifyDisconnectResponseSchema = z.object({ disconnected: z.literal(true), manageAppsUrl: z.string() });

const ItemSchema = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.string()),
  album: z.string().nullable(),
  albumArtUrl: z.string().nullable(),
});

export const NowPlayingSchema = z.object({
  type: z.enum(['track', 'episode', 'ad', 'none']),
  isPlaying: z.boolean(),
  progressMs: z.number(),
  durationMs: z.number().nullable(),
  item: ItemSchema.nullable(),
  /** Absent when the state was read from currently-playing (which does not say); null when Spotify named none. */
  device: z.object({ name: z.string(), type: z.string(), volumePercent: z.number().nullable(), supportsVolume: z.boolean() }).nullable().optional(),
  stale: z.boolean(),
  /** Why it is stale (a Spotify problem code without the `spotify_` prefix), else null. */
  degraded: z.string().nullable(),
  fetchedAt: z.string(),
});
export type NowPlaying = z.infer<typeof NowPlayingSchema>;

export const SpotifyDeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  isActive: z.boolean(),
  isRestricted: z.boolean(),
  volumePercent: z.number().nullable(),
  supportsVolume: z.boolean(),
});
export type SpotifyDevice = z.infer<typeof SpotifyDeviceSchema>;
export const SpotifyDevicesResponseSchema = z.object({ devices: z.array(SpotifyDeviceSchema) });

export const SpotifyPlaylistSchema = z.object({
  id: z.string(),
  uri: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  imageUrl: z.string().nullable(),
  trackCount: z.number().nullable(),
});
export type SpotifyPlaylist = z.infer<typeof SpotifyPlaylistSchema>;
export const SpotifyPlaylistsResponseSchema = z.object({ playlists: z.array(SpotifyPlaylistSchema) });

/** What identifies a track on screen, in a session's tracks and in the power songs alike. */
const trackFields = {
  trackId: z.string(),
  uri: z.string(),
  name: z.string(),
  artists: z.array(z.string()),
  album: z.string().nullable(),
  albumArtUrl: z.string().nullable(),
};

export const SessionTrackSchema = z.object({
  ...trackFields,
  durationMs: z.number(),
  startedAt: z.string(),
  playedAt: z.string(),
  avgBpm: z.number().nullable(),
  peakBpm: z.number().nullable(),
});
export type SessionTrack = z.infer<typeof SessionTrackSchema>;

export const SessionTracksSchema = z.object({
  sessionId: z.string(),
  state: z.enum(['waiting', 'checking', 'done', 'failed', 'gone', 'unfinished']),
  incomplete: z.boolean(),
  checkedAt: iso,
  tracks: z.array(SessionTrackSchema),
});
export type SessionTracks = z.infer<typeof SessionTracksSchema>;

export const PowerSongSchema = z.object({
  ...trackFields,
  plays: z.number(),
  sessions: z.number(),
  avgBpm: z.number(),
  peakBpm: z.number(),
  lastPlayedAt: z.string(),
});
export type PowerSong = z.infer<typeof PowerSongSchema>;
export const PowerSongsResponseSchema = z.object({ songs: z.array(PowerSongSchema) });

/** Player commands answer `{ ok: true }`; volume and unmute add `volume`, mute `previousVolume`. */
export const SpotifyOkSchema = z.object({ ok: z.literal(true), volume: z.number().optional(), previousVolume: z.number().optional() });

/** The same four commands a class's coaches send to the room's music. */
export const PLAYER_COMMANDS = MUSIC_COMMANDS;
export type PlayerCommand = (typeof PLAYER_COMMANDS)[number];
