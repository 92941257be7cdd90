import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// One runner for every test: `npm test` runs the three projects in order of cost.
// unit: pure code and adapters beside the code; integration: a real PocketBase and real
// sync-server processes; browser: the built PWA in Debian's Chromium via playwright-core.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  // Every project: browser and integration tests import PWA modules too (e.g. the history seed
  // writes through web/src/lib/storage, which imports $core).
  resolve: { alias: { $core: `${root}core`, $lib: `${root}web/src/lib` } },
  test: {
    // expect.poll waits for a condition; its default second is too short on a busy machine (a
    // history detail rendering an hour of readings from IndexedDB took longer under CI load).
    // Only a failing test waits the whole timeout.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        // Compiles .svelte and rune modules (.svelte.ts) for the PWA's model tests.
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'sync-server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'tests/spotify-emulator/**/*.test.ts', 'tests/strava-emulator/**/*.test.ts', 'tests/intervals-emulator/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bench/support/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
