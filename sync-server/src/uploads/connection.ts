import type { Grant } from '../grants/store';

/**
 * A member's connection to an upload provider as its status shows it (Strava's OAuth tokens,
 * intervals.icu's personal key: both grants). A grant whose tokens no longer open (the token key
 * changed) counts as needing a reconnect, like one the provider refused.
 */
export type ConnectionState = 'not_connected' | 'needs_reconnect' | 'connected';

export function connectionOf(g: Grant | null, openTokens: (g: Grant) => unknown): { state: ConnectionState; connected: boolean } {
  if (!g) return { state: 'not_connected', connected: false };
  const needsReconnect = g.status === 'needs_reconnect' || openTokens(g) === null;
  return needsReconnect ? { state: 'needs_reconnect', connected: false } : { state: 'connected', connected: true };
}
