import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { fillRoom, type SimulatedClass } from '../../scripts/simulate-class';
import { openBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// The gym's big screen as a kiosk, full of people: 40 simulated participants (the dev tool
// scripts/simulate-class.ts) on a 1080p and a 720p screen. Every tile must be on screen at once,
// none overlapping, with the heart rate and name large enough to read from 5 m; the screen asks
// to stay on (Wake Lock), offers full screen, and shows nothing but the class.
const server = useTestServer();
let crowd: SimulatedClass | undefined;
const browsers: TestBrowser[] = [];

afterAll(async () => {
  await crowd?.stop({ leave: false });
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);

/**
 * Legibility from 5 m. ISO 9241-303 asks for characters of at least 16 minutes of arc (20–22
 * preferred); at 5 m that is a cap height of 5000 mm × tan(16′) ≈ 23 mm. On a 55″ 1080p screen
 * (0.63 mm per pixel) that is 37 px of cap height, about 52 px of font size (cap height ≈ 0.7 em).
 * Scaled to the viewport height, so a 720p screen of the same size needs 2/3 of it. Names: 16′ on
 * a 75″ screen, 38 px (DisplayTile.svelte; tests/browser/class-display-layout.test.ts covers 1–60).
 */
const MIN_FONT_AT_1080 = { bpm: 52, name: 38 };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

async function openDisplay(viewport: { width: number; height: number }, linkPath: string) {
  const b = await openBrowser({ viewport });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  // Observe the Screen Wake Lock requests the page makes (headless Chromium may refuse them).
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { __wakeLocks: string[] }).__wakeLocks = calls;
    const original = navigator.wakeLock?.request?.bind(navigator.wakeLock);
    if (navigator.wakeLock) {
      navigator.wakeLock.request = (type?: 'screen') => {
        calls.push(type ?? 'screen');
        return original ? original(type) : Promise.reject(new Error('no wake lock'));
      };
    }
  });
  await page.goto(`${server.url}${linkPath}`);
  await expect.poll(() => tid(page, 'room-display').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
  return page;
}

describe('the class display as a kiosk', () => {
  it('40 participants fit on a 1080p and a 720p screen, readable from 5 m; wake lock, full screen, no stray UI', async () => {
    const coach = client(server.url);
    const m = newMember('kiosk');
    await coach.post('/api/v1/auth/register', m);
    expect((await coach.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    const created = await coach.post('/api/v1/rooms', { name: 'Saturday bootcamp', plan: tabataPlan(8) });
    expect(created.status).toBe(201);
    const room = created.body.room as { id: string; joinCode: string };
    const display = await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'Main screen' });
    expect(display.status).toBe(201);

    crowd = await fillRoom({ url: server.url, code: room.joinCode, count: 40, seed: 7, concurrency: 8 });

    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 1280, height: 720 },
    ]) {
      const page = await openDisplay(viewport, display.body.linkPath as string);
      const label = `${viewport.width}×${viewport.height}`;
      await expect.poll(() => tid(page, 'tile').count(), { timeout: 15_000 }).toBe(40);
      // Every tile shows a heart rate (the simulated people send one a second).
      await expect
        .poll(async () => (await tid(page, 'tile-bpm').allTextContents()).filter((t) => /^\d{2,3}$/.test(t.trim())).length, { timeout: 10_000 })
        .toBe(40);

      const tiles = await tid(page, 'tile').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          const font = (sel: string) => parseFloat(getComputedStyle(el.querySelector(sel)!).fontSize);
          const clipped = (sel: string) => {
            const t = el.querySelector(sel) as HTMLElement;
            return t.scrollWidth > t.clientWidth + 1;
          };
          return {
            box: { x: r.x, y: r.y, width: r.width, height: r.height },
            bpmFont: font('[data-testid="tile-bpm"]'),
            nameFont: font('[data-testid="tile-name"]'),
            bpmClipped: clipped('[data-testid="tile-bpm"]'),
          };
        }),
      );
      const scale = viewport.height / 1080;
      for (const [i, t] of tiles.entries()) {
        expect(t.box.x, `${label} tile ${i} left`).toBeGreaterThanOrEqual(0);
        expect(t.box.y, `${label} tile ${i} top`).toBeGreaterThanOrEqual(0);
        expect(t.box.x + t.box.width, `${label} tile ${i} right`).toBeLessThanOrEqual(viewport.width + 0.5);
        expect(t.box.y + t.box.height, `${label} tile ${i} bottom`).toBeLessThanOrEqual(viewport.height + 0.5);
        expect(t.bpmFont, `${label} tile ${i} bpm font`).toBeGreaterThanOrEqual(MIN_FONT_AT_1080.bpm * scale);
        expect(t.nameFont, `${label} tile ${i} name font`).toBeGreaterThanOrEqual(MIN_FONT_AT_1080.name * scale);
        expect(t.bpmClipped, `${label} tile ${i} bpm clipped`).toBe(false);
      }
      for (let i = 0; i < tiles.length; i++) {
        for (let j = i + 1; j < tiles.length; j++) expect(overlaps(tiles[i]!.box, tiles[j]!.box), `${label} tiles ${i} and ${j} overlap`).toBe(false);
      }
      // The timer stays big above them.
      const timerFont = await tid(page, 'timer-left').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(timerFont).toBeGreaterThan(2 * MIN_FONT_AT_1080.bpm * scale);

      // Kiosk: the screen asked to stay on; nothing of the app's chrome; full screen on request.
      await expect.poll(() => page.evaluate(() => (window as unknown as { __wakeLocks: string[] }).__wakeLocks)).toContain('screen');
      expect(await page.locator('header nav, [data-testid="app-header"], [data-testid="offline-banner"]').count()).toBe(0);
      const buttons = await page.locator('button:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      expect(buttons.every((b) => b === 'display-fullscreen' || b === 'sound-enable'), `stray buttons: ${buttons.join(', ')}`).toBe(true);
      // Sound: on by itself where the browser allows it, else after one tap on the overlay.
      // (The overlay may go by itself while it is being clicked: that is fine too.)
      const sound = () => tid(page, 'room-display').getAttribute('data-sound');
      if ((await sound()) !== 'on') await tid(page, 'sound-enable').click({ timeout: 5_000 }).catch(() => undefined);
      await expect.poll(sound).toBe('on');
      await expect.poll(() => tid(page, 'sound-enable').count()).toBe(0);
      await tid(page, 'display-fullscreen').click();
      await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
      await expect.poll(() => tid(page, 'display-fullscreen').count()).toBe(0);
    }
  });
});
