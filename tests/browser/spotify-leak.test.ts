import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../spotify-emulator/emulator';
import { adminClient, allTokens, startEmulator, startSpotifyServer, type Emulator } from '../integration/spotify-support';
import { openBrowser, signUpInBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { browserStorage, leaks, watchBrowser } from '../support/leak-scan';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';

// The real PWA, a real sync server and PocketBase, and the Spotify emulator (its demo user is
// approved automatically): a member connects Spotify, uses now playing and the player on the
// workout screen, and no token the emulator issued ever reaches the browser (responses,
// cookies, Web Storage, IndexedDB) or the server's logs. Then disconnect works.
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator({ users: [DEMO_USER], demo: true });
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

describe('Spotify in the browser', () => {
  it('connects, plays on the workout screen, leaks no token anywhere, and disconnects', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const watch = watchBrowser(b.context);

      const m = newMember('spw');
      await signUpInBrowser(page, server.url, m);

      await page.goto(`${server.url}/account`);
      await tid(page, 'spotify-connect').click();
      await page.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('spotify') === 'connected');
      await tid(page, 'spotify-connected').waitFor();
      await tid(page, 'spotify-just-connected').waitFor();

      // The demo user's phone plays "Running 160 BPM" from its first track.
      await page.goto(`${server.url}/workout`);
      await expect.poll(() => tid(page, 'now-playing-title').textContent(), { timeout: 15_000 }).toBe('Cadence 160');
      await tid(page, 'np-next').click();
      await expect.poll(() => tid(page, 'now-playing-title').textContent(), { timeout: 15_000 }).toBe('Hill Repeats');
      await tid(page, 'np-play-pause').click();
      await expect.poll(() => tid(page, 'np-play-pause').getAttribute('data-playing'), { timeout: 15_000 }).toBe('false');
      await tid(page, 'np-devices').click();
      await expect.poll(() => tid(page, 'np-device').count()).toBe(2);
      await tid(page, 'np-search-toggle').click();
      await tid(page, 'np-search').fill('HIIT');
      await tid(page, 'np-search-submit').click();
      await tid(page, 'np-playlist').first().click();
      await expect.poll(() => tid(page, 'now-playing-title').textContent(), { timeout: 15_000 }).toBe('Sprint Finish');

      // Running a workout shows the bar too.
      await tid(page, 'preset-stopwatch').click();
      await tid(page, 'workout-live').waitFor();
      await tid(page, 'now-playing').waitFor();
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      await tid(page, 'btn-save-now').click();
      await tid(page, 'summary').waitFor();

      // Power songs: nothing synced yet.
      await page.goto(`${server.url}/spotify`);
      await tid(page, 'power-songs-empty').waitFor();

      // The scan sees what the browser saw (now playing passed through it).
      expect((await watch.seen()).join('\n')).toContain('Cadence 160');
      const tokens = await allTokens(emu);
      expect(tokens.length).toBeGreaterThan(0);
      const found = leaks(tokens, [...(await watch.seen()), ...(await browserStorage(b.context, page)), server.logs()]);
      expect(found).toEqual([]);

      await page.goto(`${server.url}/account`);
      await tid(page, 'spotify-connected').waitFor();
      await tid(page, 'spotify-disconnect').click();
      await tid(page, 'spotify-disconnected').waitFor();
      expect(await tid(page, 'spotify-disconnected').innerHTML()).toContain('https://www.spotify.com/account/apps/');
      await tid(page, 'spotify-connect').waitFor();
      const status = await page.evaluate(async () => (await (await fetch('/api/v1/spotify/status')).json()) as { connected: boolean });
      expect(status.connected).toBe(false);

      expect(leaks(await allTokens(emu), [...(await watch.seen()), ...(await browserStorage(b.context, page)), server.logs()])).toEqual([]);
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('warns before the 6-month consent expires, and shows a reconnect banner after Spotify revoked the grant', async () => {
    const b = await openBrowser();
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const m = newMember('spr');
      await signUpInBrowser(page, server.url, m);
      await page.goto(`${server.url}/account`);
      await tid(page, 'spotify-connect').click();
      await tid(page, 'spotify-connected').waitFor();
      expect(await tid(page, 'spotify-expiry-warning').count()).toBe(0);

      // Consent given 6 months minus 7 days ago: the member is warned.
      const admin = await adminClient(pb);
      const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()) as { id: string });
      const grant = await admin.collection('spotify_grants').getOne(me.id);
      await admin.collection('spotify_grants').update(me.id, { authorized_at: Date.now() - (183 - 7) * 86_400_000 });
      await page.reload();
      await tid(page, 'spotify-expiry-warning').waitFor();
      await admin.collection('spotify_grants').update(me.id, { authorized_at: grant.authorized_at });

      // The member revokes the app at Spotify: the next call fails for good → one reconnect banner.
      await emu.ctl('/revoke', { user: 'demo', accessTokens: 'kill' });
      await page.goto(`${server.url}/workout`);
      await tid(page, 'spotify-reconnect-banner').waitFor({ timeout: 20_000 });
      await page.goto(`${server.url}/account`);
      await tid(page, 'spotify-needs-reconnect').waitFor();
      // A fresh consent replaces the dead grant.
      await tid(page, 'spotify-reconnect').click();
      await page.waitForURL((u) => u.searchParams.get('spotify') === 'connected');
      await tid(page, 'spotify-connected').waitFor();
      expect(await tid(page, 'spotify-needs-reconnect').count()).toBe(0);
    } finally {
      await b.close();
    }
  });
});
