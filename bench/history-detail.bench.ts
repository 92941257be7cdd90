/**
 * History detail in Chromium: a 2-hour interval session (60 × 60 s / 60 s, 1 Hz readings with
 * RR, 7145 readings in 120 chunks) seeded into the app's IndexedDB, then
 *   - cold: open /history/<id> directly (app boot + read + decode + summary + chart);
 *   - in-app: from the list, click the session (SPA navigation) until the chart is painted;
 *   - redraw: one chart redraw (keyboard cursor move), median over 50.
 * Median of RUNS runs each. Needs the built PWA (npx vite build).
 * Run: node --import tsx bench/history-detail.bench.ts
 */
import type { Page } from 'playwright-core';
import { seedInPage, seedSession } from '../tests/browser/history-seed';
import { openBrowser } from '../tests/support/browser';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';

const RUNS = Number(process.env.RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Resolves once the chart canvas has pixels, with performance.now() at that frame. */
const chartPainted = (page: Page) =>
  page.waitForFunction(
    () => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="hr-chart-canvas"]');
      if (!c || c.width === 0) return false;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 400) if (d[i]! > 0) return performance.now();
      return false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  ).then((h) => h.jsonValue() as Promise<number>);

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
const b = await openBrowser();
try {
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  const long = seedSession({ id: 'benchlong000001', title: 'Two hours', startedAt: Date.UTC(2026, 0, 20, 7), rounds: 60, workMs: 60_000, restMs: 60_000 });
  console.log(`session: ${long.readings.length} readings, ${long.readings.reduce((n, r) => n + r.rr1024.length, 0)} RR, ${long.chunks.length} chunks`);
  await page.goto(`${server.url}/history`);
  await page.getByTestId('history-empty').waitFor();
  await seedInPage(page, [long]);

  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`${server.url}/history/${long.session.id}`);
    cold.push(await chartPainted(page)); // performance.now() is ms since navigation start
  }
  const spa: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`${server.url}/history`);
    await page.getByTestId('history-item').first().waitFor();
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('history-item').first().click();
    spa.push((await chartPainted(page)) - t0);
  }
  await page.getByTestId('hr-chart-cursor').focus();
  const redraw = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="hr-chart-cursor"]')!;
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      times.push(performance.now() - t0);
    }
    return times.sort((a, c) => a - c)[25]!;
  });
  console.log(`cold open of /history/<id> to painted chart: median ${median(cold).toFixed(0)} ms (runs: ${cold.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`list → detail (SPA) to painted chart:       median ${median(spa).toFixed(0)} ms (runs: ${spa.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`chart redraw on cursor move (to next frame): median ${redraw.toFixed(1)} ms`);
} finally {
  await b.close();
  await server.stop();
  await pb.dispose();
}
