/**
 * When a tile is live, stale or gone. Only server receive times are compared, with the server's
 * clock (a screen uses its measured offset, see clock-offset.ts): a phone or screen with a wrong
 * clock can neither keep a ghost tile alive nor make a live one vanish. The thresholds are the
 * server's ROOM_STALE_MS / ROOM_GONE_MS, sent to every screen in `welcome`.
 */

export interface StalenessConfig {
  staleMs: number;
  goneMs: number;
}

export type TileStatus = 'live' | 'stale' | 'gone';

/** `seenAt`: server time of the participant's last heart rate (or join, before any). */
export function tileStatus(seenAt: number, serverNow: number, config: StalenessConfig): TileStatus {
  const age = serverNow - seenAt;
  if (age >= config.goneMs) return 'gone';
  if (age >= config.staleMs) return 'stale';
  return 'live';
}
