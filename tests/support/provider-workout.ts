/**
 * Browser steps the upload-provider tests (Strava, intervals.icu) share: a page whose uncaught
 * errors fail the test, an interval workout recorded with the simulated strap, the newest
 * workout opened from history, and a provider's status read through the app's own origin.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openBrowser } from './browser';

const tid = (page: Page, id: string) => page.getByTestId(id);

/** Runs `fn` with a fresh browser's page; fails if the page threw anything uncaught. */
export async function withPage(fn: (context: BrowserContext, page: Page) => Promise<void>): Promise<void> {
  const b = await openBrowser();
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(b.context, page);
    expect(errors, 'page errors').toEqual([]);
  } finally {
    await b.close();
  }
}

/** A 4 s work / 2 s rest interval workout with the simulated strap, from home. */
export async function recordIntervals(page: Page, name: string): Promise<void> {
  await tid(page, 'workout-card').click();
  await tid(page, 'strap-simulated').click();
  await expect.poll(() => tid(page, 'strap-status').textContent(), { timeout: 10_000 }).toMatch(/bpm/);
  await tid(page, 'plan-new').click();
  await tid(page, 'plan-name').fill(name);
  await tid(page, 'plan-prepare').fill('1');
  await tid(page, 'block-0-work').fill('4');
  await tid(page, 'block-0-rest').fill('2');
  await tid(page, 'block-0-rounds').fill('1');
  await tid(page, 'plan-start').click();
  await tid(page, 'summary').waitFor({ timeout: 30_000 });
}

/** Opens the newest workout in history (the list reads the device, so it is there offline too). */
export async function openNewestInHistory(page: Page, baseUrl: string, title: string): Promise<void> {
  await page.goto(`${baseUrl}/history`);
  await expect.poll(() => tid(page, 'history-item-title').first().textContent(), { timeout: 15_000 }).toContain(title);
  await tid(page, 'history-item').first().click();
  await page.waitForURL((u) => /^\/history\/[^/]+$/.test(u.pathname));
}

/** A field of `/api/v1/<provider>/status`, fetched by the page (with its session cookie). */
export function providerStatus(page: Page, provider: 'strava' | 'intervals', field: 'mode' | 'state'): Promise<string | undefined> {
  return page.evaluate(
    async ([p, f]) => ((await (await fetch(`/api/v1/${p}/status`)).json()) as Record<string, string | undefined>)[f],
    [provider, field] as const,
  );
}
