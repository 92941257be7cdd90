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

export interface ProfileFields {
  age: string;
  sex: 'female' | 'male';
  weight: string;
  resting: string;
  /** A measured maximum; omitted: the age estimate stays chosen. */
  maxHr?: string;
}

/** Fills the Settings profile form with `p` and saves it, waiting for "saved". */
export async function saveProfile(page: Page, baseUrl: string, p: ProfileFields): Promise<void> {
  const tid = (id: string) => page.getByTestId(id);
  await page.goto(`${baseUrl}/settings`);
  // Filled only once the stored profile is in the form: the load would overwrite earlier typing.
  await page.locator('[data-testid="profile-form"][data-loaded="true"]').waitFor();
  await tid('profile-age').fill(p.age);
  await tid('profile-sex').selectOption(p.sex);
  await tid('profile-weight').fill(p.weight);
  await tid('profile-resting').fill(p.resting);
  if (p.maxHr !== undefined) {
    await tid('profile-maxhr-measured').check();
    await tid('profile-maxhr').fill(p.maxHr);
  }
  await tid('profile-save').click();
  await tid('profile-saved').waitFor();
}
