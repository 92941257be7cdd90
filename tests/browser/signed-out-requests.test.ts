import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';

// A signed-out visitor's pages make no request that must fail (issue 13: it used to collect 32
// 401s from /spotify/now-playing and /me in 3 minutes). Time is the page's fake clock, moved
// 3 minutes per screen, which is 36 now-playing and 6 session re-check intervals.
const server = useTestServer();
const tid = (page: Page, id: string) => page.getByTestId(id);

const SCREEN_MS = 180_000;

/** Moves the page's clock by `ms` in 5 s steps, letting each step's requests finish. */
async function spend(page: Page, ms: number, settled: () => Promise<void>) {
  for (let t = 0; t < ms; t += 5_000) {
    await page.clock.runFor(5_000);
    await settled();
  }
}

describe('a signed-out visitor', () => {
  it('gets no 4xx answer from /api on the home, workout and history pages', async () => {
    const b = await openBrowser({ viewport: { width: 390, height: 844 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const api: string[] = [];
      const failed: string[] = [];
      const inFlight = new Set<Request>();
      const isApi = (r: Request) => new URL(r.url()).pathname.startsWith('/api/');
      page.on('request', (r) => {
        if (!isApi(r)) return;
        inFlight.add(r);
        api.push(`${r.method()} ${new URL(r.url()).pathname}`);
      });
      page.on('requestfailed', (r) => inFlight.delete(r));
      page.on('requestfinished', async (r) => {
        const status = (await r.response())?.status() ?? 0;
        if (status >= 400 && status < 500) failed.push(`${status} ${r.method()} ${new URL(r.url()).pathname}`);
        inFlight.delete(r);
      });
      const settled = () => expect.poll(() => inFlight.size).toBe(0);

      await page.clock.install();
      await page.goto(server.url + '/');
      await tid(page, 'home-title').waitFor();
      await spend(page, SCREEN_MS, settled);

      await tid(page, 'workout-card').click();
      await tid(page, 'preset-tabata').waitFor();
      await spend(page, SCREEN_MS, settled);
      // A workout running signed out: the now-playing bar has nothing to ask either.
      await tid(page, 'preset-stopwatch').click();
      await tid(page, 'workout-live').waitFor();
      await spend(page, 60_000, settled);

      await page.goto(server.url + '/history');
      await page.waitForURL((u) => u.pathname === '/history');
      await spend(page, SCREEN_MS, settled);
      await settled();

      expect(failed, `requests to /api:\n${api.join('\n')}`).toEqual([]);
      expect(errors, 'page errors').toEqual([]);
      // The page knows it is signed out (it wrote so for its next start) and says so.
      expect(await page.evaluate(() => localStorage.getItem('hrm.session'))).toBe('signed-out');
      await page.goto(server.url + '/');
      await tid(page, 'home-signin').waitFor();
      await settled();
      expect(failed).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
