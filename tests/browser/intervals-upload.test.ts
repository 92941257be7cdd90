import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenIntervalsEmulator, type RunningIntervalsEmulator } from '../intervals-emulator/serve';
import { signUpInBrowser, untilServiceWorkerControls } from '../support/browser';
import { newMember } from '../support/http-client';
import { browserStorage, leaks, watchBrowser } from '../support/leak-scan';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { openNewestInHistory, providerStatus, recordIntervals, withPage } from '../support/provider-workout';
import { startSyncServer, type TestServer } from '../support/sync-server';

// Issue 16, intervals.icu in the browser: the real PWA, a real sync server and PocketBase, and the
// intervals.icu emulator the server is configured against (INTERVALS_API_URL). A member pastes a
// wrong API key and is told so, then their personal key, chooses "every workout", records an
// interval workout offline with the simulated strap, comes back online, and sees the workout on
// intervals.icu with a link in history; the emulator holds that one activity. The key never comes
// back: no response (URL, headers, body), cookie, Web Storage, IndexedDB, console line or server
// log line holds it, before or after disconnecting. A key deleted on intervals.icu makes Account ask
// for the current one, which connects again and sends the workout that was refused.
const ATHLETE = { id: 'i950', name: 'Browser Rider', apiKey: `${randomBytes(12).toString('hex')}kb` };
// One athlete, two keys: the emulator finds an athlete by key, so after '/revoke' deletes the
// first, the second is the key the athlete regenerated on intervals.icu.
const REVOKED = { id: 'i951', name: 'Revoking Rider', apiKey: `${randomBytes(12).toString('hex')}ko` };
const REGENERATED = { ...REVOKED, apiKey: `${randomBytes(12).toString('hex')}kn` };
let pb: TestPocketBase;
let emu: RunningIntervalsEmulator;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await listenIntervalsEmulator({ athletes: [ATHLETE, REVOKED, REGENERATED], perSecond: 1000 });
  server = await startSyncServer({
    pb,
    env: {
      INTERVALS_ENABLED: 'true',
      INTERVALS_API_URL: emu.apiUrl,
      INTERVALS_TOKEN_KEY: randomBytes(32).toString('base64'),
      INTERVALS_UPLOAD_INTERVAL_MS: '250',
      INTERVALS_UPLOAD_LEASE_MS: '6000',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const uploadState = (page: Page) => tid(page, 'intervals-upload-state').getAttribute('data-state', { timeout: 1_000 }).catch(() => null);
const activitiesOf = async (athleteId: string) =>
  (await emu.ctl<{ id: string; athleteId: string; externalId: string | null; name: string }[]>('/activities')).filter((x) => x.athleteId === athleteId);

/** Everything the browser saw and kept, and the server's logs: the haystacks of the leak scan. */
async function haystacks(context: BrowserContext, page: Page, watch: ReturnType<typeof watchBrowser>) {
  return [...(await watch.seen()), ...(await browserStorage(context, page)), server.logs()];
}

describe('intervals.icu in the browser', () => {
  it('connects with a personal API key, uploads a workout recorded offline once it syncs, links the activity, leaks no key, and disconnects', async () => {
    await withPage(async (context, page) => {
      const watch = watchBrowser(context);
      await signUpInBrowser(page, server.url, newMember('ivw'));

      // A wrong key: refused at intervals.icu, and the member is told what to do; nothing is stored.
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-api-key').fill('not-a-real-key-123');
      await tid(page, 'intervals-connect').click();
      await expect.poll(() => tid(page, 'intervals-error').textContent()).toContain('intervals.icu did not accept this API key');
      expect(await tid(page, 'intervals-api-key').inputValue()).toBe('');
      expect(await tid(page, 'intervals-connected').count()).toBe(0);

      // The right key: connected; the field is cleared at once; then "every workout".
      await tid(page, 'intervals-api-key').fill(ATHLETE.apiKey);
      await tid(page, 'intervals-connect').click();
      await tid(page, 'intervals-connected').waitFor();
      expect(await tid(page, 'intervals-error').count()).toBe(0);
      await tid(page, 'intervals-mode-auto').check();
      await expect.poll(() => providerStatus(page, 'intervals', 'mode')).toBe('auto');
      // What deleting and disconnecting mean at intervals.icu, said before either is done.
      expect(await tid(page, 'intervals-delete-note').textContent()).toContain('never deletes it on intervals.icu');
      expect(await tid(page, 'intervals-disconnect-note').innerHTML()).toContain('https://intervals.icu/settings');

      // Offline, with the app's code from its service worker: the workout stays on the device.
      await page.goto(`${server.url}/`);
      await untilServiceWorkerControls(page);
      await context.setOffline(true);
      await recordIntervals(page, 'Offline to intervals');
      await openNewestInHistory(page, server.url, 'Offline to intervals');
      const sessionId = new URL(page.url()).pathname.split('/').pop()!;
      expect(await activitiesOf(ATHLETE.id)).toEqual([]);

      // Online again: the workout syncs, the server uploads it, history shows the activity.
      // The open page's card looks again by itself: no reload.
      await context.setOffline(false);
      await expect.poll(() => uploadState(page), { timeout: 60_000 }).toBe('done');
      const [activity, ...more] = await activitiesOf(ATHLETE.id);
      expect(more).toEqual([]);
      expect(activity).toMatchObject({ externalId: `hrm-${sessionId}.fit`, name: 'Offline to intervals' });
      expect(await tid(page, 'intervals-upload-state').textContent()).toContain('On intervals.icu');
      expect(await tid(page, 'intervals-activity-link').getAttribute('href')).toBe(`https://intervals.icu/activities/${encodeURIComponent(activity!.id)}`);

      // The leak scan: the key went to the server once, and nothing the browser saw or kept, nor
      // the server's logs, holds it.
      const seen = await watch.seen();
      expect(seen.join('\n')).toContain('/api/v1/intervals/uploads');
      expect(seen.join('\n')).toContain('/api/v1/intervals/connect');
      expect(leaks([ATHLETE.apiKey], await haystacks(context, page, watch))).toEqual([]);

      // Disconnect: our copy of the key goes, and the member is told where to revoke it.
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-disconnect').click();
      await tid(page, 'intervals-disconnected').waitFor();
      expect(await tid(page, 'intervals-disconnected').innerHTML()).toContain('https://intervals.icu/settings');
      await tid(page, 'intervals-api-key').waitFor();
      expect(await providerStatus(page, 'intervals', 'state')).toBe('not_connected');
      expect(leaks([ATHLETE.apiKey], await haystacks(context, page, watch))).toEqual([]);
      // The activity stays at intervals.icu.
      expect(await activitiesOf(ATHLETE.id)).toHaveLength(1);
    });
  });

  it('a key intervals.icu stops accepting asks for the current key on Account; the current key connects again and the refused workout goes up', async () => {
    await withPage(async (context, page) => {
      const watch = watchBrowser(context);
      await signUpInBrowser(page, server.url, newMember('ivr'));
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-api-key').fill(REVOKED.apiKey);
      await tid(page, 'intervals-connect').click();
      await tid(page, 'intervals-mode-auto').check();
      await expect.poll(() => providerStatus(page, 'intervals', 'mode')).toBe('auto');

      // The athlete deletes the key on intervals.icu; the next upload is refused with it.
      await emu.ctl('/revoke', { athleteId: REVOKED.id });
      await page.goto(`${server.url}/`);
      await recordIntervals(page, 'After the key went');
      await expect.poll(() => providerStatus(page, 'intervals', 'state'), { timeout: 60_000, interval: 500 }).toBe('needs_reconnect');
      expect(await activitiesOf(REVOKED.id)).toEqual([]);

      // Account says so, asks for the current key, and offers to disconnect instead.
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-needs-reconnect').waitFor();
      expect(await tid(page, 'intervals-needs-reconnect').textContent()).toContain('Paste the current key');
      expect(await tid(page, 'intervals-disconnect').textContent()).toBe('Disconnect');
      expect(await tid(page, 'intervals-connected').count()).toBe(0);
      await tid(page, 'intervals-api-key').fill(REGENERATED.apiKey);
      await tid(page, 'intervals-connect').click();
      await tid(page, 'intervals-connected').waitFor();
      expect(await tid(page, 'intervals-needs-reconnect').count()).toBe(0);
      expect(await tid(page, 'intervals-mode-auto').isChecked()).toBe(true);

      // The workout refused with the old key goes up with the current one, once.
      await openNewestInHistory(page, server.url, 'After the key went');
      await expect.poll(() => uploadState(page), { timeout: 60_000 }).toBe('done');
      expect((await activitiesOf(REVOKED.id)).map((x) => x.name)).toEqual(['After the key went']);

      expect(leaks([REVOKED.apiKey, REGENERATED.apiKey], await haystacks(context, page, watch))).toEqual([]);
    });
  });
});
