import { spawn } from 'node:child_process';
import { access, constants, mkdir, readFile, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Where the PocketBase server binary comes from. The version is pinned in
 * sync-server/pocketbase/go.mod (with go.sum); on a fresh machine we build that module with
 * the machine's Go (see ../shared/docs/stack-notes.md, "PocketBase"). POCKETBASE_BIN points
 * at an operator's own official binary instead.
 */

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const moduleDir = path.join(repoRoot, 'sync-server', 'pocketbase');

export async function pinnedVersion(): Promise<string> {
  const gomod = await readFile(path.join(moduleDir, 'go.mod'), 'utf8');
  const m = /github\.com\/pocketbase\/pocketbase (v[0-9][^\s]*)/.exec(gomod);
  if (!m) throw new Error('sync-server/pocketbase/go.mod does not pin github.com/pocketbase/pocketbase');
  return m[1]!;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface EnsureOptions {
  /** An operator's own binary (POCKETBASE_BIN). */
  bin?: string | null;
  log?: (msg: string) => void;
}

/** Returns the path of a runnable PocketBase binary, building the pinned one if missing. */
export async function ensurePocketBaseBinary(opts: EnsureOptions = {}): Promise<string> {
  const log = opts.log ?? (() => {});
  if (opts.bin) {
    if (!(await isExecutable(opts.bin))) throw new Error(`POCKETBASE_BIN: ${opts.bin} is not an executable file`);
    return opts.bin;
  }
  const version = await pinnedVersion();
  const outDir = path.join(repoRoot, '.cache', 'pocketbase');
  const target = path.join(outDir, `pocketbase-${version}`);
  if (await isExecutable(target)) return target;

  await mkdir(outDir, { recursive: true });
  const tmp = `${target}.build-${process.pid}`;
  log(`building PocketBase ${version} from the pinned Go module (first run only; a cold build takes a few minutes)`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: moduleDir,
      env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (err) =>
      reject(new Error(`cannot run 'go' to build PocketBase (${err.message}); install Go >= 1.26 or set POCKETBASE_BIN`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go build of PocketBase failed (exit ${code})`))));
  });
  // rename is atomic: two processes building at once both end with a whole binary.
  await rename(tmp, target);
  log(`PocketBase ${version} built at ${path.relative(repoRoot, target)}`);
  return target;
}
