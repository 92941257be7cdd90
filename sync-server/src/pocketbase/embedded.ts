import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from './binary';

/**
 * Runs PocketBase as a child process on 127.0.0.1 only: `migrate up` first, then the
 * superuser upsert, then `serve` with automigrate off. PocketBase v0.39's CLI exits 0 even
 * when a command fails, so each step is judged by its output and, for serve, by health.
 */

export interface EmbeddedOptions {
  bin: string;
  port: number;
  dataDir: string;
  migrationsDir?: string;
  /** HRM's routes (default: pb_hooks/); tests point it elsewhere to start PocketBase without them. */
  hooksDir?: string;
  superuser: { email: string; password: string };
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Called when the serve process exits without stop() having been called. */
  onUnexpectedExit?: (code: number | null) => void;
}

export interface EmbeddedPocketBase {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export const defaultMigrationsDir = path.join(repoRoot, 'pb_migrations');
/** PocketBase's JS hooks: HRM's own routes (pb_hooks/room_presence.pb.js). Our build does not
 * watch them (jsvm.Config's HooksWatch is off): a changed file takes effect at the next start. */
export const defaultHooksDir = path.join(repoRoot, 'pb_hooks');

function run(bin: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Lines PocketBase prints on failure while still exiting 0. */
function looksFailed(out: string): boolean {
  return /(^|\n)\s*(Error|panic|Failed)/i.test(out);
}

export async function migrateUp(bin: string, dataDir: string, migrationsDir = defaultMigrationsDir): Promise<void> {
  const r = await run(bin, ['migrate', 'up', `--dir=${dataDir}`, `--migrationsDir=${migrationsDir}`]);
  if (r.code !== 0 || looksFailed(r.out)) throw new Error(`PocketBase migrate up failed: ${r.out.trim()}`);
}

export async function upsertSuperuser(bin: string, dataDir: string, email: string, password: string): Promise<void> {
  // `--` ends the flags: a generated password may start with '-' (base64url).
  const r = await run(bin, ['superuser', 'upsert', `--dir=${dataDir}`, '--', email, password]);
  // The output names the email, never the password; we do not forward it to logs anyway.
  if (r.code !== 0 || !/Successfully saved superuser/i.test(r.out)) {
    // Say what PocketBase said, minus anything that could echo the password.
    const said = r.out.split(password).join('[redacted]').trim().slice(0, 500);
    throw new Error(`PocketBase superuser upsert failed (check PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD): ${said}`);
  }
}

export async function waitForHealth(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('PocketBase exited during start-up');
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PocketBase did not become healthy at ${url} (${last})`);
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`PB_PORT ${port} on 127.0.0.1 is already in use (another PocketBase or HRM?)`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

const PID_FILE = '.hrm-pocketbase.pid';

/**
 * A sync server killed with SIGKILL cannot stop its PocketBase child, which then keeps the
 * port and the data directory. On the next start, stop such a leftover: only a process whose
 * command line is a PocketBase `serve` of this very data directory.
 */
async function stopLeftover(dataDir: string, log: EmbeddedOptions['log']): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(dataDir, PID_FILE), 'utf8')).trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
  } catch {
    return; // not running (or no /proc): nothing to stop
  }
  if (!cmdline.includes(' serve ') || !cmdline.includes(`--dir=${dataDir}`)) return;
  log('warn', `stopping a PocketBase left running by an earlier process (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
}

export async function startEmbeddedPocketBase(opts: EmbeddedOptions): Promise<EmbeddedPocketBase> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir;
  await stopLeftover(opts.dataDir, opts.log);
  // Health on a busy port would be answered by whoever holds it: refuse to start instead.
  await assertPortFree(opts.port);
  await migrateUp(opts.bin, opts.dataDir, migrationsDir);
  await upsertSuperuser(opts.bin, opts.dataDir, opts.superuser.email, opts.superuser.password);

  const url = `http://127.0.0.1:${opts.port}`;
  let stopping = false;
  let child: ChildProcess = spawn(
    opts.bin,
    ['serve', `--http=127.0.0.1:${opts.port}`, `--dir=${opts.dataDir}`, `--migrationsDir=${migrationsDir}`, `--hooksDir=${opts.hooksDir ?? defaultHooksDir}`, '--automigrate=false'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid) await writeFile(path.join(opts.dataDir, PID_FILE), String(child.pid), { mode: 0o600 });
  let exited = false;
  let tail = '';
  const keepTail = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exitPromise = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exited = true;
      if (!stopping) {
        opts.log('error', `PocketBase exited unexpectedly (code ${code}): ${tail.trim().split('\n').slice(-3).join(' | ')}`);
        opts.onUnexpectedExit?.(code);
      }
      resolve(code);
    });
  });
  try {
    await waitForHealth(url, 30_000, () => !exited);
  } catch (e) {
    stopping = true;
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}; PocketBase said: ${tail.trim().split('\n').slice(-5).join(' | ')}`);
  }
  opts.log('info', `PocketBase serving on ${url} (data in ${opts.dataDir})`);
  return {
    url,
    pid: child.pid,
    async stop() {
      if (exited) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
