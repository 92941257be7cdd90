import type { Logger } from 'pino';
import { createGrantEngine, type GrantProvider } from '../grants/engine';
import type { AppStateStore } from './app-state';
import type { Grants } from './grants';
import type { LeaseStore } from './lease-store';
import type { SpotifyHttp } from './spotify-http';
import { TOKEN_TIMEOUT_MS } from './spotify-http';

/**
 * Spotify's side of the grant engine (grants/engine.ts): the adapter is its token endpoint
 * (spotify-http.ts), the lease key `refresh:<member>` it has always used, and the app state's
 * invalid_client alarm. Everything else (single refresh across processes, save-before-use,
 * outcomes) is the shared engine.
 */
export type { AccessResult, GrantEngine as TokenEngine } from '../grants/engine';

export interface TokenEngineDeps {
  store: Grants;
  leases: LeaseStore;
  http: SpotifyHttp;
  appState: AppStateStore;
  logger: Logger;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function spotifyGrantProvider(http: Pick<SpotifyHttp, 'refresh'>): GrantProvider {
  return {
    name: 'spotify',
    leaseKey: (memberId) => `refresh:${memberId}`,
    refresh: (refreshToken) => http.refresh(refreshToken),
    tokenTimeoutMs: TOKEN_TIMEOUT_MS,
    invalidClientHint: 'Spotify refused our client credentials (invalid_client); check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET',
  };
}

export function createTokenEngine(deps: TokenEngineDeps) {
  const { http, appState, ...rest } = deps;
  return createGrantEngine({ ...rest, provider: spotifyGrantProvider(http), alarms: appState });
}
