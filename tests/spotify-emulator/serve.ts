/**
 * Put an emulator on a real socket (for integration tests that run it in-process, and main.ts).
 * Port 0 picks a free port; the promise resolves with the URLs the server under test needs.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createSpotifyEmulator, type SpotifyEmulator, type SpotifyEmulatorOptions } from './emulator';

export interface EmulatorUrls {
  baseUrl: string;
  /** SPOTIFY_ACCOUNTS_URL: /authorize and /api/token live under it. */
  accountsUrl: string;
  /** SPOTIFY_API_URL: /v1/... lives under it. */
  apiUrl: string;
  controlUrl: string;
  port: number;
}

export interface RunningEmulator extends EmulatorUrls {
  emulator: SpotifyEmulator;
  close(): Promise<void>;
}

export function urlsFor(info: AddressInfo): EmulatorUrls {
  const host = info.address.includes(':') ? `[${info.address}]` : info.address;
  const baseUrl = `http://${host}:${info.port}`;
  return { baseUrl, accountsUrl: `${baseUrl}/accounts`, apiUrl: `${baseUrl}/api`, controlUrl: `${baseUrl}/__emu`, port: info.port };
}

export function listenSpotifyEmulator(
  options: SpotifyEmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  const emulator = createSpotifyEmulator(options);
  return new Promise((resolve) => {
    const server = serve({ fetch: emulator.app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' }, (info) => {
      resolve({
        ...urlsFor(info),
        emulator,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
