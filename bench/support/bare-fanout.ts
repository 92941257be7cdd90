/** Starts bench/support/bare-fanout-server.ts as its own process (one pid, like the sync server). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BareFanout {
  url: string;
  proc: ChildProcess;
  /** Its stdout and stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

/** `nodeArgs`: node flags before the script (the bench's loop probe, --cpu-prof…). */
/** `env`: extra environment (e.g. ALLOC_PROF_DIR for bench/support/alloc-probe.mjs). */
export async function startBareFanout(opts: { nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<BareFanout> {
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'bench/support/bare-fanout-server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    proc.stderr!.on('data', (d) => (out += d));
    void exited.then(() => reject(new Error(`bare fan-out server exited during start:\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    logs: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
