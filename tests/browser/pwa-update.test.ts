import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { startSyncServer, type TestServer } from '../support/sync-server';

// A new version of the app is deployed while the page is open: the update prompt appears,
// but never during a running workout; Reload brings the new service worker in.
const buildDir = fileURLToPath(new URL('../../build/', import.meta.url));
let pb: TestPocketBase;
let server: TestServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(tmpdir(), 'hrm-build-'));
  await cp(buildDir, staticDir, { recursive: true });
  pb = await startTestPocketBase();
  server = await startSyncServer({ pb, env: { STATIC_DIR: staticDir } });
});

afterAll(async () => {
  await server?.stop();
  await pb?.dispose();
  await rm(staticDir, { recursive: true, force: true });
});

const tid = (page: Page, id: string) => page.getByTestId(id);

/** "Deploys" a new version: the service worker script changes, as with every new build. */
async function deployNewVersion(n: number) {
  const sw = path.join(staticDir, 'sw.js');
  await writeFile(sw, `${await readFile(sw, 'utf8')}\n// deploy ${n}\n`);
}

const checkForUpdate = (page: Page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
const waitingWorker = (page: Page) => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));

describe('updates', () => {
  it('offers the new version, holds it back during a workout, and reloads into it', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(server.url + '/');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

      // A workout is running when the new version arrives: no prompt.
      await page.goto(server.url + '/workout');
      await tid(page, 'strap-simulated').click();
      await tid(page, 'preset-tabata').click();
      await tid(page, 'workout-live').waitFor();
      await deployNewVersion(1);
      await checkForUpdate(page);
      await expect.poll(() => waitingWorker(page), { timeout: 15_000 }).toBe(true);
      // The gate has seen the new version and decided to hold it: only then is "no prompt" meaningful.
      await expect.poll(() => tid(page, 'update-toasts').getAttribute('data-update'), { timeout: 15_000 }).toBe('held');
      expect(await tid(page, 'update-prompt').count()).toBe(0);

      // The workout ends: now the prompt appears.
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      await tid(page, 'btn-save-now').click();
      await tid(page, 'summary').waitFor();
      await tid(page, 'update-prompt').waitFor({ timeout: 10_000 });

      const before = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
      await Promise.all([page.waitForEvent('load'), tid(page, 'update-reload').click()]);
      await expect.poll(() => waitingWorker(page), { timeout: 10_000 }).toBe(false);
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(before);
      expect(await tid(page, 'update-prompt').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('a first visit on a deep link installs the service worker for the whole app', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      await page.goto(`${server.url}/history/some-workout`);
      const reg = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.ready;
        return { scope: r.scope, script: r.active?.scriptURL ?? '' };
      });
      expect(reg).toEqual({ scope: `${server.url}/`, script: `${server.url}/sw.js` });
    } finally {
      await b.close();
    }
  });
});
