import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tabataPlan } from '../../core/workout';
import { fillRoom, type SimulatedClass } from '../../scripts/simulate-class';
import { openBrowser, type TestBrowser } from '../support/browser';
import { client, newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// The gym screen with 1, 21, 40 and 60 simulated participants (three-digit heart rates and
// points, long names) at 720p, 1080p and 4K: no tile text is cut (scrollWidth and scrollHeight
// within the box, as the issue asks), names, zone labels and heart rates keep the sizes for 5 m
// at 40 people (the rule in DisplayTile.svelte), and the tiles fill the screen below the timer;
// then the results screen of all 60, nothing cut either.
const server = useTestServer();
const crowds: SimulatedClass[] = [];
let browser: TestBrowser | undefined;

afterAll(async () => {
  await Promise.all(crowds.map((c) => c.stop({ leave: false })));
  await browser?.close();
});

const tid = (page: Page, id: string) => page.getByTestId(id);

/** Font sizes in px at 1080p, scaled with the viewport's height (DisplayTile.svelte's rule). */
const MIN_FONT_AT_1080 = { bpm: 52, label: 38 };
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];
// Long names (18–20 letters, words up to ten: two lines at the 5 m size) keep that size at 40 people; every
// seventh name is longer still, three lines or a word of eleven letters or more, which a 40-people tile cannot
// hold at that size: that name may shrink (DisplayTile.svelte), but nothing may be cut.
const FIRST = ['Guadalupe', 'Annemarie', 'Oluwaseun', 'Katarzyna', 'Magdalena'];
const LAST = ['Lindqvist', 'Nakamura', 'Fernandes', 'Kowalczyk', 'Rasmussen', 'Jørgensen'];
const LONGER = ['Bartholomew Featherstone', 'Anne-Sophie Oyelaran-Whitfield'];
const longName = (i: number) => (i % 7 === 6 ? LONGER[i % 2]! : `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`);

interface Measure {
  cut: string[];
  fonts: { name: number; zone: number; bpm: number };
  box: { x: number; y: number; right: number; bottom: number };
  bpm: string;
  name: string;
}

/** Every tile's cut text (wider or taller than its box) and its font sizes. */
function measure(page: Page): Promise<Measure[]> {
  return tid(page, 'tile').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const cut: string[] = [];
      for (const el of tile.querySelectorAll<HTMLElement>('p, span, div')) {
        if (el.clientWidth <= 1) continue; // not laid out, or for screen readers only
        if (el.scrollWidth > el.clientWidth + 1) cut.push(`${el.className} "${el.textContent?.trim()}" ${el.scrollWidth}>${el.clientWidth} wide`);
      }
      // Taller content than the tile (its lines, not a glyph's ink) would be cut at the bottom.
      const inner = tile.firstElementChild as HTMLElement;
      if (inner.scrollHeight > inner.clientHeight + 1) cut.push(`tile "${inner.textContent?.trim()}" ${inner.scrollHeight}>${inner.clientHeight} tall`);
      const font = (id: string) => parseFloat(getComputedStyle(tile.querySelector(`[data-testid="${id}"]`)!).fontSize);
      const r = tile.getBoundingClientRect();
      return {
        cut,
        fonts: { name: font('tile-name'), zone: font('tile-zone'), bpm: font('tile-bpm') },
        box: { x: r.x, y: r.y, right: r.right, bottom: r.bottom },
        bpm: tile.querySelector('[data-testid="tile-bpm"]')!.textContent!.trim(),
        name: tile.querySelector('[data-testid="tile-name"]')!.textContent!.trim().replaceAll('\u2011', '-'),
      };
    }),
  );
}

describe('the class display layout', () => {
  it('never cuts a tile text from 1 to 60 people at 720p, 1080p and 4K, keeps 5 m sizes at 40, fills the screen', async () => {
    const coach = client(server.url);
    const m = newMember('layout');
    await coach.post('/api/v1/auth/register', m);
    expect((await coach.post('/api/v1/auth/login', { email: m.email, password: m.password })).status).toBe(200);
    const created = await coach.post('/api/v1/rooms', { name: 'Saturday bootcamp', plan: tabataPlan(8) });
    expect(created.status).toBe(201);
    const room = created.body.room as { id: string; joinCode: string };
    const display = await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'Main screen' });
    expect(display.status).toBe(201);
    // The class is working: the join panel is small, the tiles have the stage.
    expect((await coach.post(`/api/v1/rooms/${room.id}/timer`, { command: 'start' })).status).toBe(200);

    browser = await openBrowser({ viewport: VIEWPORTS[0]! });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.url}${display.body.linkPath as string}`);
    await expect.poll(() => tid(page, 'room-display').getAttribute('data-link'), { timeout: 10_000 }).toBe('open');

    let joined = 0;
    for (const count of [1, 21, 40, 60]) {
      const offset = joined;
      crowds.push(
        await fillRoom({
          url: server.url,
          code: room.joinCode,
          count: count - joined,
          seed: count,
          concurrency: 8,
          name: (i) => longName(offset + i),
          // Three-digit heart rates, points and calories on every tile.
          reading: (i, bpm) => ({ bpm: Math.min(199, Math.max(100, bpm + 40)), points: 100 + ((offset + i) * 37) % 900, kcal: 100 + offset + i }),
        }),
      );
      joined = count;

      for (const viewport of VIEWPORTS) {
        const label = `${count} people at ${viewport.width}×${viewport.height}`;
        await page.setViewportSize(viewport);
        await expect.poll(() => tid(page, 'tile').count(), { timeout: 15_000 }).toBe(count);
        // Wait until every tile has a three-digit heart rate and nothing is cut (the fit runs
        // after the layout settles); then hold the sizes.
        let tiles: Measure[] = [];
        await expect
          .poll(
            async () => {
              tiles = await measure(page);
              return tiles.filter((t) => /^\d{3}$/.test(t.bpm)).length === count ? tiles.flatMap((t) => t.cut) : ['waiting for heart rates'];
            },
            { timeout: 15_000, message: label },
          )
          .toEqual([]);

        const scale = viewport.height / 1080;
        if (count <= 40) {
          const small = tiles.flatMap((t, i) =>
            (['bpm', 'name', 'zone'] as const)
              .filter((k) => !(k === 'name' && LONGER.includes(t.name)))
              .filter((k) => t.fonts[k] < (k === 'bpm' ? MIN_FONT_AT_1080.bpm : MIN_FONT_AT_1080.label) * scale - 0.01)
              .map((k) => `tile ${i} ${k} ${t.fonts[k].toFixed(1)} px`),
          );
          expect(small, `${label}: fonts below the 5 m minimum`).toEqual([]);
        }
        for (const [i, t] of tiles.entries()) {
          expect(t.box.x >= 0 && t.box.y >= 0 && t.box.right <= viewport.width + 0.5 && t.box.bottom <= viewport.height + 0.5, `${label}: tile ${i} on screen`).toBe(true);
        }
        // The whole screen: the tiles reach across it and down to its bottom, and the timer's band
        // has the room's name and join code at its right edge, not an empty area.
        const right = Math.max(...tiles.map((t) => t.box.right));
        const left = Math.min(...tiles.map((t) => t.box.x));
        const bottom = Math.max(...tiles.map((t) => t.box.bottom));
        expect(right - left, `${label}: tiles span the width`).toBeGreaterThan(0.9 * viewport.width);
        expect(bottom, `${label}: tiles reach the bottom`).toBeGreaterThan(0.95 * viewport.height);
        const code = await tid(page, 'display-join-code').boundingBox();
        expect(code!.x + code!.width, `${label}: join code at the right of the timer`).toBeGreaterThan(0.85 * viewport.width);
      }
    }

    // The results of all 60 after the coach's stop: nothing cut either, at every size.
    expect((await coach.post(`/api/v1/rooms/${room.id}/timer`, { command: 'stop' })).status).toBe(200);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await expect.poll(() => tid(page, 'result-row').count(), { timeout: 10_000 }).toBe(60);
      await expect
        .poll(
          () =>
            tid(page, 'result-row').evaluateAll((cards) =>
              cards.flatMap((card) => {
                const inner = card.firstElementChild as HTMLElement;
                const cut = [...card.querySelectorAll<HTMLElement>('p, span')]
                  .filter((el) => el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1)
                  .map((el) => `"${el.textContent?.trim()}" wide`);
                if (inner.scrollHeight > inner.clientHeight + 1) cut.push(`"${inner.textContent?.trim()}" tall`);
                return cut;
              }),
            ),
          { message: `results at ${viewport.width}×${viewport.height}` },
        )
        .toEqual([]);
    }
  });
});
