/**
 * `npm test`: sets up what the tests need (Debian packages, the pinned PocketBase, a fresh
 * PWA build), then runs the unit, integration and browser projects one after another and
 * ends with the line `N passed, N failed`. `npm test -- unit` runs one project.
 * Before the projects it type-checks (the `check` script's steps: svelte-check over
 * tsconfig.json, tsc over the service worker); a type error counts as one failure and the run
 * exits non-zero. `--skip-typecheck` leaves it out; `npm test -- types` runs only it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePocketBaseBinary } from '../sync-server/src/pocketbase/binary';

const root = fileURLToPath(new URL('..', import.meta.url));
const projects = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = (projects.length ? projects : ['unit', 'integration', 'browser']).filter((p) => p !== 'types');

const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (selected.some((p) => p !== 'unit')) {
  if (run('bash', ['scripts/ensure-system-deps.sh']) !== 0) process.exit(1);
  await ensurePocketBaseBinary({ bin: process.env.POCKETBASE_BIN || null, log: (m) => console.error(m) });
  console.error('building the PWA for the tests…');
  if (run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']) !== 0) process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let exit = 0;

if (!process.argv.includes('--skip-typecheck')) {
  console.error('type-checking…');
  const steps: [string, string[]][] = [
    ['svelte-kit sync', ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync']],
    ['svelte-check', ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--output', 'human']],
    ['tsc (service worker)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'web/src/service-worker']],
  ];
  for (const [name, args] of steps) {
    if (run(process.execPath, args) === 0) continue;
    console.error(`type check failed: ${name}`);
    failed += 1;
    exit = 1;
    break;
  }
} else if (run(process.execPath, ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync']) !== 0) process.exit(1);
for (const project of selected) {
  const out = path.join(root, '.cache', `vitest-${project}.json`);
  rmSync(out, { force: true });
  const code = run(process.execPath, [
    'node_modules/vitest/vitest.mjs', 'run', '--config', 'tests/vitest.config.ts', '--project', project,
    '--reporter=default', '--reporter=json', `--outputFile.json=${out}`,
  ]);
  if (!existsSync(out)) {
    console.error(`vitest wrote no results for ${project} (exit ${code})`);
    exit = 1;
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(out, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numTotalTests: number;
    success: boolean;
    testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
  };
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A file that failed before any of its tests ran (an import error, a failing beforeAll with
  // no test reached) has no failed test of its own: count it as one failure, or the closing line
  // would say "0 failed" for a run that failed.
  for (const file of r.testResults) {
    if (file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed')) {
      failed += 1;
      console.error(`failed before its tests ran: ${path.relative(root, file.name)}`);
    }
  }
  skipped += r.numPendingTests + r.numTodoTests;
  if (code !== 0 || !r.success) exit = 1;
  if (r.numTotalTests === 0) {
    console.error(`project ${project} ran no tests`);
    exit = 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exit);
