import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenIntervalsEmulator, type RunningIntervalsEmulator } from '../intervals-emulator/serve';
import { signUpInBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { browserStorage, leaks, watchBrowser } from '../support/leak-scan';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import { openNewestInHistory, providerStatus, recordIntervals, withPage } from '../support/provider-workout';
import { startSyncServer, type TestServer } from '../support/sync-server';

// Issue 16, intervals.icu by OAuth in the browser: a server with an intervals.icu app
// (INTERVALS_CLIENT_ID/SECRET) against the emulator. Account offers "Connect with intervals.icu"
// first and the personal key as the alternative. A decline comes back as a clear line; a consent
// that leaves WELLNESS:WRITE unticked connects with wellness off and says why; a workout then goes
// up (Bearer) and history links it. The access token never reaches the browser: no response, cookie,
// Web Storage, IndexedDB, console line or server log line holds it, nor the client secret.
const ATHLETE = { id: 'i970', name: 'OAuth Rider', apiKey: `${randomBytes(12).toString('hex')}ka` };
const APP = { id: '5151', secret: `app-secret-${randomBytes(8).toString('hex')}` };
let pb: TestPocketBase;
let emu: RunningIntervalsEmulator;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await listenIntervalsEmulator({ athletes: [ATHLETE], perSecond: 1000, clients: [APP] });
  server = await startSyncServer({
    pb,
    env: {
      INTERVALS_ENABLED: 'true',
      INTERVALS_API_URL: emu.apiUrl,
      INTERVALS_OAUTH_URL: emu.oauthUrl,
      INTERVALS_CLIENT_ID: APP.id,
      INTERVALS_CLIENT_SECRET: APP.secret,
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
const backOnAccount = (page: Page, outcome: 'connected' | 'error') => page.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('intervals') === outcome);

async function haystacks(context: BrowserContext, page: Page, watch: ReturnType<typeof watchBrowser>) {
  return [...(await watch.seen()), ...(await browserStorage(context, page)), server.logs()];
}

describe('intervals.icu by OAuth in the browser', () => {
  it('offers OAuth first and the key beside it; a decline is explained; a narrower consent connects without wellness; a workout goes up; no token leaks', async () => {
    await withPage(async (context, page) => {
      const watch = watchBrowser(context);
      await signUpInBrowser(page, server.url, newMember('ivo'));
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-connect-oauth').waitFor();
      expect(await tid(page, 'intervals-connect-oauth').textContent()).toBe('Connect with intervals.icu');
      // The personal key stays available, behind the primary action.
      expect(await tid(page, 'intervals-api-key').isVisible()).toBe(false);
      await tid(page, 'intervals-key-alternative').locator('summary').click();
      await tid(page, 'intervals-api-key').waitFor();

      // The athlete declines on intervals.icu.
      await emu.ctl('/consent', { athleteId: ATHLETE.id, decision: 'deny' });
      await tid(page, 'intervals-connect-oauth').click();
      await backOnAccount(page, 'error');
      expect(await tid(page, 'intervals-connect-failed').textContent()).toContain('the approval was cancelled');
      expect(await providerStatus(page, 'intervals', 'state')).toBe('not_connected');

      // They approve, but leave WELLNESS:WRITE unticked.
      await emu.ctl('/consent', { athleteId: ATHLETE.id, decision: 'approve', scope: 'ACTIVITY:WRITE' });
      await tid(page, 'intervals-connect-oauth').click();
      await backOnAccount(page, 'connected');
      await tid(page, 'intervals-connected').waitFor();
      expect(await tid(page, 'intervals-connected').textContent()).toContain('permission to upload activities.');
      expect(await tid(page, 'intervals-wellness').isDisabled()).toBe(true);
      expect(await tid(page, 'intervals-wellness-not-granted').textContent()).toContain('WELLNESS:WRITE');
      expect(await tid(page, 'intervals-disconnect-note').textContent()).toContain('remove the app');
      await tid(page, 'intervals-mode-auto').check();
      await expect.poll(() => providerStatus(page, 'intervals', 'mode')).toBe('auto');

      // A workout goes up with the token, and history links its activity.
      await page.goto(`${server.url}/`);
      await recordIntervals(page, 'Through OAuth');
      await openNewestInHistory(page, server.url, 'Through OAuth');
      await expect.poll(() => uploadState(page), { timeout: 60_000 }).toBe('done');
      const uploads = (await emu.ctl('/calls?route=POST%20/api/v1/athlete/:id/activities')).entries as { status: number; auth: string }[];
      expect(uploads.map((e) => [e.status, e.auth])).toEqual([[201, 'bearer']]);
      expect(await tid(page, 'intervals-activity-link').getAttribute('href')).toMatch(/^https:\/\/intervals\.icu\/activities\//);

      // The leak scan: the token was issued to the server only.
      const tokens = [...emu.emulator.state.oauth.tokens.keys()];
      expect(tokens).toHaveLength(1);
      expect((await watch.seen()).join('\n')).toContain('/api/v1/intervals/callback');
      expect(leaks([...tokens, APP.secret], await haystacks(context, page, watch))).toEqual([]);

      // Disconnect: our token goes; the member is told where to remove the app.
      await page.goto(`${server.url}/account`);
      await tid(page, 'intervals-disconnect').click();
      await tid(page, 'intervals-disconnected').waitFor();
      expect(await tid(page, 'intervals-disconnected').innerHTML()).toContain('https://intervals.icu/settings');
      await tid(page, 'intervals-connect-oauth').waitFor();
      expect(leaks([...tokens, APP.secret], await haystacks(context, page, watch))).toEqual([]);
    });
  });
});
