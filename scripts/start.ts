/**
 * `npm start`: builds the PWA when its sources are newer than build/, builds the pinned
 * PocketBase on first run (inside the server's start-up), then runs the sync server in this
 * same process (one pid: SIGTERM/Ctrl-C reach it directly).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingNodeFlags } from '../sync-server/src/node-flags';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const shell = path.join(root, 'build', 'index.html');
const sources = ['web', 'static', 'core'].map((d) => newestMtime(path.join(root, d)));
const configs = ['svelte.config.js', 'vite.config.ts', 'package.json'].map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0));
const stale = !existsSync(shell) || Math.max(...sources, ...configs) > statSync(shell).mtimeMs;
if (stale && process.env.HRM_SKIP_BUILD !== '1') {
  console.error('building the PWA (vite build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const missing = missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS);
if (missing.length > 0) console.error(`warning: started without ${missing.join(' ')} (see README, "Health and shutdown"): class mode's fan-out pauses more often`);

await import('../sync-server/src/main');
