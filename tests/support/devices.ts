import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { openBrowser, signInInBrowser, untilServiceWorkerControls, type TestBrowser } from './browser';

/**
 * A member's device in a browser test: its own browser (a fresh profile, as a second phone),
 * signed in under `name` and controlled by the service worker, so it keeps working offline.
 * Every browser opened is pushed to `browsers` for the test file to close.
 */
export async function signedInDevice(browsers: TestBrowser[], baseUrl: string, m: { email: string; password: string }, name: string): Promise<Page> {
  const b = await openBrowser({ viewport: { width: 412, height: 860 } });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await signInInBrowser(page, baseUrl, m, name);
  await untilServiceWorkerControls(page);
  return page;
}

/** Opens the account screen (a fresh app start, which syncs) and syncs until nothing waits. */
export async function syncNow(page: Page, baseUrl: string): Promise<void> {
  const tid = (id: string) => page.getByTestId(id);
  await page.goto(`${baseUrl}/account`);
  await tid('sync-status').waitFor();
  await expect
    .poll(
      async () => {
        // Read first: clicking "Sync now" on every poll would always read "Syncing…".
        const text = (await tid('sync-summary').textContent()) ?? '';
        if (!/Everything is synced/.test(text) && (await tid('sync-now').isEnabled())) await tid('sync-now').click();
        return text;
      },
      { timeout: 20_000, interval: 500 },
    )
    .toMatch(/Everything is synced\.\s*Last synced/);
}
