import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (it cannot download a browser here), each
 * context a fresh persistent profile so service workers and IndexedDB behave as for a real
 * first visit. Flags from ../shared/docs/stack-notes.md ("Browser tests").
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(opts: { args?: string[]; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<TestBrowser> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hrm-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    viewport: opts.viewport ?? { width: 412, height: 860 },
    // The browser's language (navigator.language, Intl's default), as a device set to it.
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs a new member up through the PWA's own form and waits for the signed-in home screen. */
export async function signUpInBrowser(page: Page, baseUrl: string, m: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByTestId('signup-name').fill(m.name);
  await page.getByTestId('signup-email').fill(m.email);
  await page.getByTestId('signup-password').fill(m.password);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('home-greeting').waitFor();
}

/** Signs an existing member in through the PWA's form, naming this device, and waits for home. */
export async function signInInBrowser(page: Page, baseUrl: string, m: { email: string; password: string }, deviceName: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByTestId('signin-email').fill(m.email);
  await page.getByTestId('signin-password').fill(m.password);
  await page.getByTestId('signin-device-name').fill(deviceName);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
}

/**
 * Waits until the app's service worker controls the page, as on any second visit: from then on
 * the app's code loads without a network (a first visit is not controlled until a reload).
 */
export async function untilServiceWorkerControls(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}
