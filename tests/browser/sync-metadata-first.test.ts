import type { Page, Request } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveSession } from '../../core/sync';
import { chunkPuts, hourOfReadings, liveSession, pushBody, upsert } from '../../sync-server/src/sync/testing/fixtures';
import { openBrowser, signInInBrowser, untilServiceWorkerControls, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// docs/sync-protocol.md §3 "Two streams", from the member's side: a new device shows the whole
// history list from the metadata stream alone, and a workout opened before the readings stream
// has reached it fetches its own readings. The readings stream is cut off for the whole test
// (its requests are aborted), so everything the detail screen shows came on demand.
const server = useTestServer();
let browser: TestBrowser | undefined;

afterAll(async () => {
  await browser?.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

/** A finished one-hour workout as the recording device pushes it. */
async function workout(startedAt: number, title: string, seed: number) {
  const readings = hourOfReadings(startedAt, seed);
  const bpms = readings.map((r) => r.bpm);
  const session: LiveSession = {
    ...liveSession({ startedAt, deviceId: 'phone-a1', title }),
    summary: {
      endedAt: readings.at(-1)!.t,
      durationMs: readings.at(-1)!.t - startedAt,
      readingCount: readings.length,
      avgBpm: Math.round(bpms.reduce((a, b) => a + b, 0) / bpms.length),
      maxBpm: Math.max(...bpms),
      energyKj: null,
    },
  };
  return { session, maxBpm: Math.max(...bpms), mutations: [upsert(session), ...(await chunkPuts(session.id, readings, 300))] };
}

describe('metadata first, readings when opened', () => {
  it('the list comes from the metadata stream; an opened workout fetches its own readings', async () => {
    const m = newMember('metafirst');
    const phone = client(server.url);
    expect((await phone.post('/api/v1/auth/register', m)).status).toBe(202);
    expect((await phone.post('/api/v1/auth/login', { email: m.email, password: m.password, deviceName: 'phone-a1' })).status).toBe(200);
    const t = Date.now() - 30 * 3600_000;
    const workouts = [await workout(t, 'Basement intervals', 1), await workout(t + 4 * 3600_000, 'Hill repeats', 2)];
    for (const w of workouts) expect((await phone.post('/api/v1/sync/push', pushBody('phone-a1', w.mutations))).status).toBe(200);

    browser = await openBrowser();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const cutOff: string[] = [];
    const onDemand: string[] = [];
    await browser.context.route(
      (url) => url.pathname === '/api/v1/sync/pull' && url.searchParams.get('kinds') === 'chunks',
      async (route) => {
        cutOff.push(route.request().url());
        await route.abort('internetdisconnected');
      },
    );
    page.on('request', (r: Request) => {
      if (r.url().includes('/api/v1/sync/sessions/')) onDemand.push(new URL(r.url()).pathname);
    });

    await signInInBrowser(page, server.url, m, 'Gym tablet');
    // The app's code must be there when the connection goes away below.
    await untilServiceWorkerControls(page);

    // The metadata stream alone fills the list: both workouts, with their titles.
    await expect
      .poll(
        async () => {
          await page.goto(`${server.url}/history`);
          await tid(page, 'history-count').waitFor();
          return (await tid(page, 'history-item-title').allTextContents()).map((s) => s.trim()).sort();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(['Basement intervals', 'Hill repeats']);
    await expect.poll(() => cutOff.length).toBeGreaterThan(0);
    expect(onDemand).toEqual([]);

    // Opening one fetches exactly that workout's readings, and the screen shows them.
    await tid(page, 'history-item').filter({ hasText: 'Hill repeats' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/history/'));
    await expect.poll(() => tid(page, 'detail-title').textContent()).toBe('Hill repeats');
    await expect.poll(() => tid(page, 'summary-max').textContent(), { timeout: 15_000 }).toBe(`${workouts[1]!.maxBpm} bpm`);
    expect(await tid(page, 'detail-readings-missing').count()).toBe(0);
    expect(onDemand).toEqual([`/api/v1/sync/sessions/${workouts[1]!.session.id}/chunks`]);

    // Opened again: everything is here, nothing is fetched.
    await page.goto(`${server.url}/history`);
    await tid(page, 'history-item').filter({ hasText: 'Hill repeats' }).click();
    await expect.poll(() => tid(page, 'summary-max').textContent()).toBe(`${workouts[1]!.maxBpm} bpm`);
    expect(onDemand).toHaveLength(1);

    // Offline, the other workout says its readings have not arrived and offers to try again.
    await page.goto(`${server.url}/history`);
    await tid(page, 'history-item').first().waitFor();
    await browser.context.setOffline(true);
    await tid(page, 'history-item').filter({ hasText: 'Basement intervals' }).click();
    await tid(page, 'detail-readings-missing').waitFor({ timeout: 15_000 });
    await browser.context.setOffline(false);
    await tid(page, 'detail-readings-missing').getByRole('button', { name: 'Try now' }).click();
    await expect.poll(() => tid(page, 'summary-max').textContent(), { timeout: 15_000 }).toBe(`${workouts[0]!.maxBpm} bpm`);
    await expect.poll(() => tid(page, 'detail-readings-missing').count()).toBe(0);
  });
});
