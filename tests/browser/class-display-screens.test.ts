import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { fillRoom, type SimulatedClass } from '../../scripts/simulate-class';
import { openBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';
import { seriousViolations } from '../support/a11y';

// The gym screen through a class: dark even where the operating system asks for light, axe clean
// (no serious or critical violation, so the phase words and all text meet WCAG AA contrast) while
// empty, waiting, in GET READY, WORK and REST; the join panel's QR code decodes to the join link,
// large while the room is empty or waiting and small once the class works; the tile order the
// coach sets for the room; after the coach's stop, the results until the coach starts again.
const server = useTestServer();
let crowd: SimulatedClass | undefined;
let browser: TestBrowser | undefined;

afterAll(async () => {
  await crowd?.stop({ leave: false });
  await browser?.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

/** The QR code as the screen draws it, read back from a screenshot. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await tid(page, 'join-qr').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** Relative luminance (WCAG 2) of a computed `rgb(...)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('the class display through a class', () => {
  it('is dark on a light OS, axe clean in every phase, with a QR code of the join link', async () => {
    const coach = client(server.url);
    const m = newMember('screens');
    await coach.post('/api/v1/auth/register', m);
    expect((await coach.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    const created = await coach.post('/api/v1/rooms', { name: 'Tuesday HIIT', plan: tabataPlan(2) });
    expect(created.status).toBe(201);
    const room = created.body.room as { id: string; joinCode: string };
    const display = await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'Main screen' });
    expect(display.status).toBe(201);

    browser = await openBrowser({ viewport: { width: 1920, height: 1080 } });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}${display.body.linkPath as string}`);
    await expect.poll(() => tid(page, 'room-display').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');
    // The overlay asking for a tap (sound) is not part of what the room reads.
    await tid(page, 'sound-enable').click({ timeout: 5_000 }).catch(() => undefined);

    // Dark although the OS asks for light: the background is near black, the text near white.
    const colours = await tid(page, 'room-display').evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
    expect(luminance(colours.bg)).toBeLessThan(0.02);
    expect(luminance(colours.fg)).toBeGreaterThan(0.8);

    // Empty: the join panel takes the stage, its QR code opens the join link with the code.
    const joinLink = `${server.url}/join?code=${room.joinCode}`;
    await expect.poll(() => tid(page, 'join-panel').getAttribute('data-size')).toBe('big');
    await expect.poll(() => decodeQr(page), { timeout: 5_000 }).toBe(joinLink);
    const big = (await tid(page, 'join-qr').boundingBox())!;
    expect(big.height).toBeGreaterThanOrEqual(0.25 * 1080);
    const codeFont = await tid(page, 'display-join-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(codeFont).toBeGreaterThanOrEqual(80);
    expect((await tid(page, 'display-join-code').textContent())?.replace('-', '')).toBe(room.joinCode);
    expect(await seriousViolations(page), 'empty').toEqual([]);

    // Waiting with people in: still the big panel, beside the tiles.
    crowd = await fillRoom({ url: server.url, code: room.joinCode, count: 6, seed: 3, reading: (i, bpm) => ({ bpm, points: [40, 10, 60, 30, 50, 20][i]! }) });
    await expect.poll(() => tid(page, 'tile').count(), { timeout: 10_000 }).toBe(6);
    expect(await tid(page, 'join-panel').getAttribute('data-size')).toBe('big');
    await expect.poll(async () => (await tid(page, 'tile-points').allTextContents()).length, { timeout: 10_000 }).toBe(6);
    expect(await seriousViolations(page), 'waiting').toEqual([]);

    // The order the coach sets for the room: by points at once (a change of mode re-sorts), then by name.
    const points = async () => (await tid(page, 'tile-points').allTextContents()).map((t) => parseInt(t, 10));
    const names = () => tid(page, 'tile-name').allTextContents();
    const sortBy = async (mode: string) => expect((await coach.put(`/api/v1/rooms/${room.id}/tile-sort`, { mode })).status).toBe(200);
    await sortBy('points');
    await expect.poll(points).toEqual([60, 50, 40, 30, 20, 10]);
    await sortBy('name');
    await expect.poll(names).toEqual(['Sim 1', 'Sim 2', 'Sim 3', 'Sim 4', 'Sim 5', 'Sim 6']);

    // GET READY, WORK, REST: the panel shrinks to a corner and still decodes.
    const command = async (name: string) => expect((await coach.post(`/api/v1/rooms/${room.id}/timer`, { command: name })).status).toBe(200);
    await command('start');
    for (const [kind, word] of [
      ['prepare', 'Get ready'],
      ['work', 'Work'],
      ['rest', 'Rest'],
    ] as const) {
      if (kind !== 'prepare') await command('skip');
      await expect.poll(() => tid(page, 'room-timer').getAttribute('data-kind')).toBe(kind);
      expect(await tid(page, 'timer-phase').textContent()).toBe(word);
      await expect.poll(() => tid(page, 'join-panel').getAttribute('data-size')).toBe('small');
      expect(await seriousViolations(page), kind).toEqual([]);
    }
    expect(await decodeQr(page)).toBe(joinLink);

    // The coach stops: the results, ranked by points, with the class's averages, readable from
    // 5 m (38 px at 1080p, DisplayTile.svelte's rule), axe clean; they stay until the next start.
    await command('stop');
    await expect.poll(() => tid(page, 'room-display').getAttribute('data-phase')).toBe('ended');
    await expect.poll(() => tid(page, 'result-row').count()).toBe(6);
    expect((await tid(page, 'result-points').allTextContents()).map((t) => parseInt(t, 10))).toEqual([60, 50, 40, 30, 20, 10]);
    expect(await tid(page, 'result-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-rank')))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await tid(page, 'results-avg-points').textContent()).toBe('35');
    expect(await tid(page, 'tile').count()).toBe(0);
    const nameFonts = await tid(page, 'result-name').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...nameFonts)).toBeGreaterThanOrEqual(38);
    expect(await seriousViolations(page), 'results').toEqual([]);
    await command('restart');
    await expect.poll(() => tid(page, 'room-display').getAttribute('data-phase')).toBe('class');
    await expect.poll(() => tid(page, 'results').count()).toBe(0);
    await expect.poll(() => tid(page, 'tile').count()).toBe(6);
  });
});
