import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../sync-server/src/node-flags';
import { freePort } from './ports';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A real sync-server process (`node --import tsx`, one pid) for integration and browser
 * tests. Its stdout/stderr are kept so tests can scan the logs for secrets.
 */
export interface TestServer {
  url: string;
  origin: string;
  port: number;
  proc: ChildProcess;
  logs(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface ServerOptions {
  pb?: { url: string; superuser: { email: string; password: string } };
  smtpPort?: number;
  env?: Record<string, string>;
  /** Wait for health 200 (default) or only for the process to listen. */
  waitHealthy?: boolean;
  /** Listen on this port (a restart on the same address); default: a free one. */
  port?: number;
  /** Extra node flags before the script (e.g. --cpu-prof for a benchmark's profile). */
  nodeArgs?: string[];
}

/**
 * A free port is found by listening on 0 and closing, so another process can take it before the
 * server binds it (seen once in CI: EADDRINUSE). Without a fixed port, such a start is retried
 * on another free port.
 */
export async function startSyncServer(opts: ServerOptions = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      const taken = e instanceof Error && e.message.includes('EADDRINUSE');
      if (!taken || opts.port !== undefined || attempt >= 5) throw e;
    }
  }
}

async function startOnce(opts: ServerOptions): Promise<TestServer> {
  const port = opts.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...(opts.pb
      ? { PB_URL: opts.pb.url, PB_SUPERUSER_EMAIL: opts.pb.superuser.email, PB_SUPERUSER_PASSWORD: opts.pb.superuser.password }
      : {}),
    ...(opts.smtpPort ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(opts.smtpPort) } : {}),
    ...(process.env.POCKETBASE_BIN ? { POCKETBASE_BIN: process.env.POCKETBASE_BIN } : {}),
    ...opts.env,
  };
  // Extra node flags for the server process (`nodeArgs`, or SYNC_SERVER_NODE_ARGS for any bench),
  // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", which node refuses in NODE_OPTIONS.
  // The server's own flags first, as `npm start` gives them (sync-server/src/node-flags.ts).
  const nodeArgs = [...SERVER_NODE_FLAGS, ...(opts.nodeArgs ?? []), ...(process.env.SYNC_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync-server/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: TestServer = {
    url,
    origin: url,
    port,
    proc,
    logs: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
  if (opts.waitHealthy === false) return server;
  const deadline = Date.now() + 120_000;
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`sync server exited during start:\n${out}`);
    try {
      const r = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  proc.kill('SIGKILL');
  throw new Error(`sync server did not become healthy:\n${out}`);
}
