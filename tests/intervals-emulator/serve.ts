/** Put the intervals.icu emulator on a real socket (port 0: a free one) for integration tests. */
import { serve } from '@hono/node-server';
import { createIntervalsEmulator, type IntervalsEmulator, type IntervalsEmulatorOptions } from './emulator';

export interface RunningIntervalsEmulator {
  emulator: IntervalsEmulator;
  baseUrl: string;
  /** INTERVALS_API_URL: /athlete/… lives under it. */
  apiUrl: string;
  /** INTERVALS_OAUTH_URL: /oauth/authorize and /api/oauth/token live under it. */
  oauthUrl: string;
  controlUrl: string;
  /** Runs around every request (e.g. hold an answer); null: none. */
  setHook(h: ((req: Request, respond: () => Promise<Response>) => Promise<Response>) | null): void;
  ctl<T = any>(path: string, body?: unknown, method?: string): Promise<T>;
  close(): Promise<void>;
}

export function listenIntervalsEmulator(options: IntervalsEmulatorOptions & { port?: number; host?: string } = {}): Promise<RunningIntervalsEmulator> {
  const emulator = createIntervalsEmulator(options);
  let hook: Parameters<RunningIntervalsEmulator['setHook']>[0] = null;
  const fetchWithHook = (req: Request) => {
    const respond = async () => emulator.app.fetch(req);
    return hook ? hook(req, respond) : respond();
  };
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchWithHook, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' }, (info) => {
      const baseUrl = `http://127.0.0.1:${info.port}`;
      const controlUrl = `${baseUrl}/__emu`;
      resolve({
        emulator,
        baseUrl,
        apiUrl: `${baseUrl}/api/v1`,
        oauthUrl: baseUrl,
        controlUrl,
        setHook: (h) => (hook = h),
        async ctl(path, body, method) {
          const res = await fetch(`${controlUrl}${path}`, {
            method: method ?? (body === undefined ? 'GET' : 'POST'),
            headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const json = await res.json();
          if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
          return json;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
