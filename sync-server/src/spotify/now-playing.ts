import { z } from 'zod';

/**
 * What members see as "now playing", normalized from Spotify's CurrentlyPlayingObject
 * (spotify-emulator.md P2–P5): a track, an episode or an ad (`item: null` for ads), or nothing.
 * Pure rules only; the shared cache is now-playing-cache.ts.
 */
export type PlayingType = 'track' | 'episode' | 'ad' | 'none';

/** The device Spotify plays on; only `GET /v1/me/player` (P6) names it, currently-playing does not. */
export interface PlayingDevice {
  name: string;
  type: string;
  volumePercent: number | null;
  supportsVolume: boolean;
}

export interface NowPlaying {
  type: PlayingType;
  isPlaying: boolean;
  progressMs: number;
  durationMs: number | null;
  item: { id: string; uri: string; name: string; artists: string[]; album: string | null; albumArtUrl: string | null } | null;
  /** Absent when read from currently-playing (which does not say); null when Spotify named none. */
  device?: PlayingDevice | null;
}

export const NOTHING: NowPlaying = { type: 'none', isPlaying: false, progressMs: 0, durationMs: null, item: null };

const image = z.object({ url: z.string(), width: z.number().nullish() });
const track = z.object({
  type: z.literal('track'),
  id: z.string().nullish(),
  uri: z.string(),
  name: z.string(),
  duration_ms: z.number(),
  artists: z.array(z.object({ name: z.string() })).default([]),
  album: z.object({ name: z.string(), images: z.array(image).default([]) }).nullish(),
});
const episode = z.object({
  type: z.literal('episode'),
  id: z.string().nullish(),
  uri: z.string(),
  name: z.string(),
  duration_ms: z.number(),
  images: z.array(image).default([]),
  show: z.object({ name: z.string() }).nullish(),
});
const device = z.object({
  name: z.string(),
  type: z.string().default('Unknown'),
  volume_percent: z.number().nullish(),
  supports_volume: z.boolean().default(true),
});
const playing = z.object({
  device: device.nullish().catch(null),
  is_playing: z.boolean().default(false),
  progress_ms: z.number().nullish(),
  currently_playing_type: z.string().default('unknown'),
  item: z.union([track, episode]).nullish().catch(null),
});

/** Spotify lists images largest first; a 300-ish px one suits a phone. */
function pickImage(images: { url: string; width?: number | null }[]): string | null {
  if (images.length === 0) return null;
  const medium = images.find((i) => (i.width ?? 0) <= 320 && (i.width ?? 0) >= 200);
  return (medium ?? images[0]!).url;
}

/**
 * A 200 body of currently-playing, or of `GET /v1/me/player` (the same fields plus `device`).
 * Unknown shapes become "nothing" rather than an error.
 */
export function normalizeCurrentlyPlaying(json: unknown): NowPlaying {
  const parsed = playing.safeParse(json);
  if (!parsed.success) return NOTHING;
  const p = parsed.data;
  const progressMs = Math.max(0, p.progress_ms ?? 0);
  const d = p.device;
  const deviceField =
    d === undefined
      ? {}
      : { device: d === null ? null : { name: d.name, type: d.type, volumePercent: d.volume_percent ?? null, supportsVolume: d.supports_volume && d.volume_percent != null } };
  const base = { isPlaying: p.is_playing, progressMs, ...deviceField };
  if (p.currently_playing_type === 'ad') return { ...base, type: 'ad', durationMs: null, item: null };
  const it = p.item;
  if (it?.type === 'track') {
    return {
      ...base,
      type: 'track',
      durationMs: it.duration_ms,
      item: { id: it.id ?? it.uri, uri: it.uri, name: it.name, artists: it.artists.map((a) => a.name), album: it.album?.name ?? null, albumArtUrl: pickImage(it.album?.images ?? []) },
    };
  }
  if (it?.type === 'episode') {
    return {
      ...base,
      type: 'episode',
      durationMs: it.duration_ms,
      item: { id: it.id ?? it.uri, uri: it.uri, name: it.name, artists: it.show ? [it.show.name] : [], album: it.show?.name ?? null, albumArtUrl: pickImage(it.images) },
    };
  }
  if (p.currently_playing_type === 'episode') return { ...base, type: 'episode', durationMs: null, item: null };
  return NOTHING;
}

/** Progress as of `now`, extrapolated from a cached observation while playing. */
export function progressAt(state: NowPlaying, fetchedAt: number, now: number): number {
  if (!state.isPlaying) return state.progressMs;
  const p = state.progressMs + Math.max(0, now - fetchedAt);
  return state.durationMs === null ? p : Math.min(p, state.durationMs);
}

/**
 * A 204 means "maybe idle": Spotify answers it spuriously, in private sessions and between
 * tracks (P4, P5). Keep showing what was playing until 204s have lasted IDLE_DEBOUNCE_MS.
 */
export const IDLE_DEBOUNCE_MS = 8_000;

export function afterNoContent(previous: NowPlaying | null, noneSince: number, now: number): { state: NowPlaying; noneSince: number } {
  const since = noneSince > 0 ? noneSince : now;
  if (previous && previous.type !== 'none' && now - since < IDLE_DEBOUNCE_MS) return { state: previous, noneSince: since };
  return { state: NOTHING, noneSince: since };
}

export interface CachedNowPlaying {
  state: NowPlaying;
  fetchedAt: number;
  noneSince: number;
  /** When the last player command was sent: a state fetched before it is not served. */
  invalidatedAt?: number;
  /** Set by a player command: a state fetched before this moment may predate the command. */
  settleUntil?: number;
}

/** Now playing is fetched at most once per member per this long, whoever asks. */
export const NOW_PLAYING_TTL_MS = 3_000;

/**
 * Whether a cached state may be served without asking Spotify: younger than `ttlMs`, not
 * fetched before the last player command, and, if it was fetched while that command was
 * settling, only until the command has settled (else a read that raced the command would show
 * the old track for a whole TTL on every screen).
 */
export function isFresh(c: CachedNowPlaying, now: number, ttlMs: number): boolean {
  if (now - c.fetchedAt >= ttlMs) return false;
  if (c.fetchedAt < (c.invalidatedAt ?? 0)) return false;
  const settleUntil = c.settleUntil ?? 0;
  return c.fetchedAt >= settleUntil || now < settleUntil;
}

/** The one freshness rule every now-playing path uses (issue 11 defect 18: there were three). */
export const isServable = (c: CachedNowPlaying, now: number): boolean => isFresh(c, now, NOW_PLAYING_TTL_MS);

/** How long after a player command a fetched state is not trusted beyond that moment. */
export const PLAYER_SETTLE_MS = 1_500;
