// Two devices of one member whose browsers speak different locales (en-US starts weeks on
// Sunday, de-GB on Monday), with the real PWA, sync server and PocketBase: History groups the
// same workouts into different weeks until the member picks a first day of the week in Settings
// on one of them; after a sync both group the same.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { client, newMember } from '../support/http-client';
import { openBrowser, signInInBrowser, untilServiceWorkerControls, type TestBrowser } from '../support/browser';
import { syncNow as syncNowIn } from '../support/devices';
import { useTestServer } from '../support/test-server';
import { seedInPage, seedSession, type Seeded } from './history-seed';

const server = useTestServer();
const browsers: TestBrowser[] = [];
afterAll(async () => {
  for (const b of browsers) await b.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const syncNow = (page: Page) => syncNowIn(page, server.url);
const DAY = 86_400_000;

/** A member's device in a browser set to `locale`, signed in and controlled by the service worker. */
async function device(m: { email: string; password: string }, name: string, locale: string): Promise<Page> {
  const b = await openBrowser({ locale });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await signInInBrowser(page, server.url, m, name);
  await untilServiceWorkerControls(page);
  return page;
}

/** What History shows of the weeks: the first day it groups by and this week's figures. */
async function weeks(page: Page, firstDay: string) {
  await page.goto(`${server.url}/history`);
  await expect.poll(() => tid(page, 'history-progress').getAttribute('data-first-day'), { timeout: 10_000 }).toBe(firstDay);
  await tid(page, 'weekly-totals').waitFor();
  // (The dates' wording follows each browser's language; the figures do not.)
  return {
    sessions: await tid(page, 'week-sessions').textContent(),
    time: await tid(page, 'week-time').textContent(),
  };
}

describe('first day of the week on two devices', () => {
  it('en-US and de-GB group differently until the member picks Monday on one; after a sync both show the same weeks', async () => {
    const m = newMember('weekstart');
    expect((await client(server.url).post('/api/v1/auth/register', m)).status).toBe(202);
    const phone = await device(m, 'Phone', 'en-US');
    const laptop = await device(m, 'Laptop', 'de-GB');

    // The same three workouts on both (UTC noon, recorded at UTC): last Sunday, the Saturday
    // before it, and the Monday after it if that is not in the future.
    const now = Date.now();
    const today = Math.floor(now / DAY);
    const sunday = today - ((today + 4) % 7); // day 0 (1970-01-01) was a Thursday
    const seeds: Seeded[] = [sunday - 1, sunday, sunday + 1]
      .filter((d) => d * DAY + 13 * 3_600_000 < now)
      .map((d, i) => {
        const s = seedSession({ id: `weekstart00000${i}`, title: `Day ${d}`, startedAt: d * DAY + 12 * 3_600_000, withoutReadings: true });
        return { ...s, session: { ...s.session, tzOffsetMinutes: 0 } };
      });
    for (const page of [phone, laptop]) {
      await page.goto(`${server.url}/history`);
      await tid(page, 'history-empty').waitFor();
      await seedInPage(page, seeds);
    }

    // Unset: each its locale's first day; last Sunday is this week on the phone only.
    const phoneBefore = await weeks(phone, '7');
    const laptopBefore = await weeks(laptop, '1');
    expect(phoneBefore.sessions).not.toBe(laptopBefore.sessions);

    // The member picks Monday on the phone.
    await phone.goto(`${server.url}/settings`);
    await expect.poll(() => tid(phone, 'first-day-of-week').inputValue()).toBe('');
    expect(await tid(phone, 'first-day-of-week').locator('option').first().textContent()).toContain('Sunday');
    await tid(phone, 'first-day-of-week').selectOption('1');
    await expect.poll(() => tid(phone, 'prefs-saved').textContent()).toMatch(/^First day of the week saved; it syncs/);
    await syncNow(phone);
    await syncNow(laptop);

    const phoneAfter = await weeks(phone, '1');
    const laptopAfter = await weeks(laptop, '1');
    expect(phoneAfter).toEqual(laptopAfter);
    expect(phoneAfter).toEqual(laptopBefore);
    // And the laptop's Settings show the member's choice.
    await laptop.goto(`${server.url}/settings`);
    await expect.poll(() => tid(laptop, 'first-day-of-week').inputValue(), { timeout: 10_000 }).toBe('1');
  });
});
