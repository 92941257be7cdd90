/**
 * A gym screen's link as the server sees it (wire.ts DisplayLinkState), worked out from the
 * presence the live hubs of every server process keep on the bus (never from a guess in the
 * coach's browser):
 * - each open display socket has its own key `dl:<displayId>:<socket>`, written when the hello
 *   succeeds, refreshed by the screen's pings, removed when the socket closes;
 * - `ds:<displayId>` holds when the screen was last connected (written at open and at close).
 * A socket key not refreshed for DISPLAY_LIVE_FRESH_MS (its process died, or the network froze
 * under an open socket) no longer counts as live. Keys never clash with participants' ids
 * (15 × [a-z0-9], no colon).
 */
import type { DisplayLinkState } from './wire';

/** Screens ping every 5 s (live-channel): three missed pings and more is not live. */
export const DISPLAY_LIVE_FRESH_MS = 20_000;
/** The hub rewrites a live socket's key at most this often (on the screen's pings). */
export const DISPLAY_PRESENCE_REFRESH_MS = 4_000;

export const displaySocketKey = (displayId: string, socket: string) => `dl:${displayId}:${socket}`;
export const displaySeenKey = (displayId: string) => `ds:${displayId}`;

export interface DisplayLinkInput {
  displayId: string;
  /** Presence memos of the room (key → last time written, server clock). */
  seen: ReadonlyMap<string, { seenAt: number }>;
  /** Its pairing code still works (never used, not expired). */
  pairingPending: boolean;
  now: number;
}

export function displayLinkState({ displayId, seen, pairingPending, now }: DisplayLinkInput): DisplayLinkState {
  const prefix = `dl:${displayId}:`;
  for (const [key, memo] of seen) if (key.startsWith(prefix) && now - memo.seenAt < DISPLAY_LIVE_FRESH_MS) return 'live';
  if (seen.has(displaySeenKey(displayId))) return 'reconnecting';
  return pairingPending ? 'waiting' : 'offline';
}
