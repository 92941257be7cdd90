/** Put the Strava emulator on a real socket (port 0: a free one) for integration tests. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createStravaEmulator, type StravaEmulator, type StravaEmulatorOptions } from './emulator';

export interface StravaEmulatorUrls {
  baseUrl: string;
  /** STRAVA_OAUTH_URL: /authorize, /token, /deauthorize live under it. */
  oauthUrl: string;
  /** STRAVA_API_URL: /uploads, /activities live under it. */
  apiUrl: string;
  controlUrl: string;
  port: number;
}

export interface RunningStravaEmulator extends StravaEmulatorUrls {
  emulator: StravaEmulator;
  close(): Promise<void>;
}

export function stravaUrlsFor(info: AddressInfo): StravaEmulatorUrls {
  const host = info.address.includes(':') ? `[${info.address}]` : info.address;
  const baseUrl = `http://${host}:${info.port}`;
  return { baseUrl, oauthUrl: `${baseUrl}/oauth`, apiUrl: `${baseUrl}/api/v3`, controlUrl: `${baseUrl}/__emu`, port: info.port };
}

export function listenStravaEmulator(options: StravaEmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningStravaEmulator> {
  const emulator = createStravaEmulator(options);
  return new Promise((resolve) => {
    const server = serve({ fetch: emulator.app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' }, (info) => {
      resolve({
        ...stravaUrlsFor(info),
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
