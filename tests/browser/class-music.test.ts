import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../spotify-emulator/emulator';
import { allTokens, leaks, startEmulator, startSpotifyServer, type Emulator } from '../integration/spotify-support';
import { newDeviceId } from '../integration/rooms-support';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { startTestPocketBase, type TestPocketBase } from '../support/pocketbase';
import type { TestServer } from '../support/sync-server';

// The coach's music in class mode, in the built PWA: a coach with Spotify connected (the
// emulator's demo user, playing "Running 160 BPM") runs a room; the gym screen, paired by code,
// shows the track in a strip under 40 tiles with no controls; pause and next on the coach's
// control page reach the screen; after a disconnect the screen shows nothing and the control
// page says where to connect. No Spotify token reaches either browser.
let pb: TestPocketBase;
let emu: Emulator;
let server: TestServer;
const browsers: TestBrowser[] = [];
const errors: string[] = [];
const bodies: string[] = [];
const pending: Promise<void>[] = [];

beforeAll(async () => {
  pb = await startTestPocketBase();
  emu = await startEmulator({ users: [DEMO_USER], demo: true });
  server = await startSpotifyServer(pb, emu, { SPOTIFY_CALLS_PER_30S: '1000' });
});

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server?.stop();
  await emu?.close();
  await pb?.dispose();
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const text = (page: Page, id: string) => tid(page, id).first().textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const demoPlayback = () => emu.ctl('/playback?user=demo');

async function newPage(viewport: { width: number; height: number }) {
  const b = await openBrowser({ viewport });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  b.context.on('response', (r) => {
    pending.push(
      (async () => {
        bodies.push(r.url(), JSON.stringify(await r.allHeaders()));
        try {
          // A poll cancelled mid-answer may never finish its body: do not wait for it forever.
          bodies.push(await Promise.race([r.text(), new Promise<string>((_, no) => setTimeout(() => no(new Error('no body')), 5_000))]));
        } catch {
          // redirects and aborted responses have no body
        }
      })(),
    );
  });
  return page;
}

/** Where the music strip and every tile are on the screen. */
function screenLayout(display: Page) {
  return display.evaluate(() => {
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    return {
      viewport: { width: innerWidth, height: innerHeight },
      scrollHeight: document.documentElement.scrollHeight,
      bar: rect(document.querySelector('[data-testid="display-music"]')!),
      title: parseFloat(getComputedStyle(document.querySelector('[data-testid="display-music-title"]')!).fontSize),
      tiles: [...document.querySelectorAll('[data-testid="tile"]')].map(rect),
      bpmFonts: [...document.querySelectorAll('[data-testid="tile-bpm"]')].map((el) => parseFloat(getComputedStyle(el).fontSize)),
    };
  });
}

describe('the coach’s music in class mode', () => {
  it('the screen shows the owner’s track under 40 tiles, follows pause and next from the control page, and has no controls', async () => {
    // The coach connects Spotify, then creates a room.
    const control = await newPage({ width: 390, height: 844 });
    await signUpInBrowser(control, server.url, newMember('dj'));
    await control.goto(`${server.url}/account`);
    await tid(control, 'spotify-connect').click();
    await tid(control, 'spotify-connected').waitFor();
    await tid(control, 'nav-class').click();
    await tid(control, 'room-name').fill('Friday spin');
    await tid(control, 'plan-preset-tabata').click();
    await tid(control, 'room-create').click();
    await control.waitForURL(/\/rooms\/[a-z0-9]{15}$/);
    const roomId = new URL(control.url()).pathname.split('/')[2]!;

    // The control page's music: the demo phone plays the playlist's first track.
    const first = (await demoPlayback()).item.name as string;
    expect(first).toBe('Cadence 160');
    await expect.poll(() => text(control, 'control-music-title'), { timeout: 15_000 }).toBe(first);
    expect(await tid(control, 'music-play-pause').getAttribute('data-playing')).toBe('true');

    // The gym screen pairs with a code and shows the same track, with the device.
    await tid(control, 'display-add').click();
    const pairingCode = await text(control, 'display-pairing-code');
    const display = await newPage({ width: 1920, height: 1080 });
    await display.goto(`${server.url}/display`);
    await tid(display, 'pair-code').fill(pairingCode);
    await tid(display, 'pair-submit').click();
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-link')).toBe('open');
    // Typing the pairing code was a gesture, so the screen may play: sound is on without a tap.
    await expect.poll(() => tid(display, 'room-display').getAttribute('data-sound')).toBe('on');
    await expect.poll(() => text(display, 'display-music-title'), { timeout: 15_000 }).toBe(first);
    expect(await text(display, 'display-music-artist')).toBe('Tempo Club');
    expect(await text(display, 'display-music-device')).toBe('on Demo Phone');
    expect(await tid(display, 'display-music').getAttribute('data-playing')).toBe('true');

    // The screen has no music controls: its only button is "Full screen".
    const buttons = await display.locator('button, input, [role="button"], [role="slider"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(buttons).toEqual(['display-fullscreen']);
    expect(await display.locator('[data-testid^="music-"], [data-testid^="np-"]').count()).toBe(0);

    // Pause on the control page: Spotify pauses, and the screen says so.
    await tid(control, 'music-play-pause').click();
    await expect.poll(() => tid(control, 'music-play-pause').getAttribute('data-playing'), { timeout: 10_000 }).toBe('false');
    expect((await demoPlayback()).isPlaying).toBe(false);
    await expect.poll(() => tid(display, 'display-music').getAttribute('data-playing'), { timeout: 15_000 }).toBe('false');
    expect(await text(display, 'display-music-state')).toBe('Paused');

    // Next: the screen shows the next track; play: it plays again.
    await tid(control, 'music-next').click();
    await expect.poll(async () => (await demoPlayback()).item.name, { timeout: 10_000 }).not.toBe(first);
    const second = (await demoPlayback()).item.name as string;
    expect(second).toBe('Hill Repeats');
    await expect.poll(() => text(control, 'control-music-title'), { timeout: 15_000 }).toBe(second);
    await expect.poll(() => text(display, 'display-music-title'), { timeout: 15_000 }).toBe(second);
    await tid(control, 'music-play-pause').click();
    await expect.poll(() => tid(display, 'display-music').getAttribute('data-playing'), { timeout: 15_000 }).toBe('true');
    expect(await text(display, 'display-music-state')).toBe('Playing');

    // A full class: 40 tiles and the music strip share the screen; nothing overlaps or scrolls.
    const joinCode = (await text(control, 'control-join-code')).replace('-', '');
    for (let i = 1; i <= 40; i++) {
      const r = await client(server.url).post('/api/v1/rooms/join', { code: joinCode, deviceId: newDeviceId(), name: `Rider ${i}`, age: 20 + i });
      expect(r.status).toBe(201);
    }
    await expect.poll(() => tid(display, 'tile').count(), { timeout: 15_000 }).toBe(40);
    await expect
      .poll(async () => {
        const l = await screenLayout(display);
        return l.tiles.every((t) => t.bottom <= l.bar.top + 0.5 && t.right <= l.viewport.width + 0.5);
      })
      .toBe(true);
    const layout = await screenLayout(display);
    expect(layout.scrollHeight).toBeLessThanOrEqual(layout.viewport.height);
    expect(layout.bar.bottom).toBeLessThanOrEqual(layout.viewport.height + 0.5);
    // Readable across the room: the title is at least 5 % of a 1080-pixel-high screen…
    expect(layout.title).toBeGreaterThanOrEqual(50);
    // …while the strip leaves the tiles most of the height, and each of 40 tiles stays usable.
    expect(layout.bar.height).toBeLessThanOrEqual(0.11 * layout.viewport.height);
    expect(Math.min(...layout.tiles.map((t) => t.height))).toBeGreaterThan(80);
    // The heart rates stay readable from 5 m with the strip there (see class-display-kiosk.test.ts).
    expect(layout.viewport.height).toBe(1080);
    expect(Math.min(...layout.bpmFonts)).toBeGreaterThanOrEqual(52);
    expect(await text(display, 'display-music-title')).toBe(second);

    // The owner disconnects Spotify: the screen drops the strip (no error there), and the
    // control page says where to connect it again.
    const disconnected = await control.evaluate(async () => (await fetch('/api/v1/spotify/disconnect', { method: 'POST', signal: AbortSignal.timeout(10_000) })).status);
    expect(disconnected).toBe(200);
    await expect.poll(() => tid(display, 'display-music').count(), { timeout: 15_000 }).toBe(0);
    expect(await display.getByRole('alert').count()).toBe(0);
    expect(await tid(display, 'tile').count()).toBe(40);
    await expect.poll(() => tid(control, 'control-music-hint').count(), { timeout: 15_000 }).toBe(1);
    expect(await text(control, 'control-music-hint')).toBe('Connect Spotify in your account to play music here.');
    expect(await tid(control, 'control-music-connect').getAttribute('href')).toBe('/account#spotify-title');
    expect(await tid(control, 'control-music').count()).toBe(0);
    expect(roomId).toMatch(/^[a-z0-9]{15}$/);

    await Promise.all(pending);
    expect(bodies.join('\n')).toContain(`/api/v1/rooms/${roomId}/music`);
    const tokens = await allTokens(emu);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leaks(tokens, [...bodies, server.logs()])).toEqual([]);
    expect(errors, 'page errors').toEqual([]);
  });
});
