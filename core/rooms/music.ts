/**
 * The room's music: what `GET /api/v1/rooms/:id/music` answers (the room owner's Spotify, as
 * displays and coaches see it) and how a screen words and extrapolates it. Defined once for
 * the sync server and the PWA. It carries states only; no Spotify credential is ever in it.
 */
import { z } from 'zod';

export const MUSIC_COMMANDS = ['play', 'pause', 'next', 'previous'] as const;
export type MusicCommand = (typeof MUSIC_COMMANDS)[number];

export const RoomMusicSchema = z.object({
  type: z.enum(['track', 'episode', 'ad', 'none']),
  isPlaying: z.boolean(),
  /** Progress as of `serverTime`. */
  progressMs: z.number().min(0),
  durationMs: z.number().nullable(),
  item: z
    .object({
      name: z.string(),
      artists: z.array(z.string()),
      album: z.string().nullable(),
      albumArtUrl: z.string().nullable(),
    })
    .nullable(),
  /** Null when Spotify did not name the device (or nothing is active). */
  device: z.object({ name: z.string(), volumePercent: z.number().nullable(), supportsVolume: z.boolean() }).nullable(),
  /** The last known state, served because Spotify could not be asked just now. */
  stale: z.boolean(),
  /** Why it is stale (a Spotify problem code without the `spotify_` prefix), else null. */
  degraded: z.string().nullable(),
  serverTime: z.number().int(),
});
export type RoomMusic = z.infer<typeof RoomMusicSchema>;

/** Progress at `serverNow`: moves on while playing, never past the end; frozen when paused. */
export function musicProgressAt(m: RoomMusic, serverNow: number): number {
  if (!m.isPlaying) return m.progressMs;
  const p = m.progressMs + Math.max(0, serverNow - m.serverTime);
  return m.durationMs === null ? p : Math.min(p, m.durationMs);
}

/** What a screen shows as the title and the line under it; null: nothing to show (bar hidden). */
export function musicLine(m: RoomMusic | null): { title: string; subtitle: string } | null {
  if (!m || m.type === 'none') return null;
  if (m.type === 'ad') return { title: 'Advertisement', subtitle: '' };
  const title = m.item?.name ?? (m.type === 'episode' ? 'Podcast episode' : 'Unknown track');
  return { title, subtitle: m.item ? m.item.artists.join(', ') : '' };
}
