import type { RoomMusic } from '../../../core/rooms';
import type { NowPlayingView } from '../spotify/service';

/**
 * The room's music as screens get it: an explicit list of fields copied from the owner's now
 * playing (Spotify ids, URIs and fetch bookkeeping stay on the server; screens need none).
 * `progressMs` of the view is already as of `serverTime`.
 */
export function roomMusicView(v: NowPlayingView, serverTime: number): RoomMusic {
  return {
    type: v.type,
    isPlaying: v.isPlaying,
    progressMs: v.progressMs,
    durationMs: v.durationMs,
    item: v.item && { name: v.item.name, artists: v.item.artists, album: v.item.album, albumArtUrl: v.item.albumArtUrl },
    device: v.device ? { name: v.device.name, volumePercent: v.device.volumePercent, supportsVolume: v.device.supportsVolume } : null,
    stale: v.stale,
    degraded: v.degraded,
    serverTime,
  };
}
