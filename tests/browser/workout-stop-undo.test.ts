import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';

// Stop takes a deliberate second step, and a stopped workout can be taken back within the undo
// window (UNDO_STOP_MS) before it is saved. Time is the page's own fake clock (Playwright's
// page.clock), paused and moved by hand: no waiting for the 10 s window to pass.
const server = useTestServer();
const tid = (page: Page, id: string) => page.getByTestId(id);

interface StoredSession {
  status: string;
  endedAt: number | null;
  timer: { stoppedAt: number | null; pausedTotal: number };
}

/** The one session in the app's IndexedDB, as stored. */
const stored = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<StoredSession[]>((resolve, reject) => {
        const open = indexedDB.open('hrm');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('sessions').objectStore('sessions').getAll();
          all.onsuccess = () => resolve(all.result as StoredSession[]);
          all.onerror = () => reject(all.error);
        };
      }),
  );

/** The stopwatch's elapsed time on screen, in seconds. */
async function elapsedS(page: Page): Promise<number> {
  const text = (await tid(page, 'workout-elapsed').textContent())?.trim() ?? '';
  const [m, s] = text.split(':').map(Number);
  return m! * 60 + s!;
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('stopping a workout', () => {
  it('takes a confirm; the stop can be undone within the window and the workout runs on; after the window it is saved', async () => {
    const b = await openBrowser({ viewport: { width: 390, height: 844 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.clock.install();
      await page.goto(server.url + '/workout');
      await tid(page, 'preset-stopwatch').click();
      await tid(page, 'workout-live').waitFor();
      await tid(page, 'btn-pause').waitFor();
      // From here time moves only when the test moves it.
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
      await page.clock.runFor(5_000);
      await expect.poll(() => elapsedS(page)).toBeGreaterThanOrEqual(5);

      // One tap on Stop only asks.
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').waitFor();
      expect(await focused(page)).toBe('btn-stop-cancel');
      const beforeAsk = await elapsedS(page);
      await page.clock.runFor(3_000);
      await expect.poll(() => elapsedS(page)).toBe(beforeAsk + 3);
      expect(await tid(page, 'stop-undo').count()).toBe(0);
      expect((await stored(page)).map((s) => [s.status, s.timer.stoppedAt])).toEqual([['recording', null]]);
      // "Keep going" dismisses the question; the workout never stopped.
      await tid(page, 'btn-stop-cancel').click();
      await tid(page, 'btn-pause').waitFor();

      // Stop, End workout: stopped, not saved, with an Undo.
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      await tid(page, 'stop-undo').waitFor();
      await tid(page, 'stopped-tag').waitFor();
      expect(await focused(page)).toBe('btn-undo-stop');
      const atStop = await elapsedS(page);
      await expect.poll(async () => (await stored(page))[0]?.timer.stoppedAt ?? null).not.toBeNull();
      await page.clock.runFor(6_000);
      await expect.poll(() => tid(page, 'stop-undo-seconds').textContent()).toBe('4');
      expect(await elapsedS(page)).toBe(atStop);
      expect((await stored(page)).map((s) => [s.status, s.endedAt])).toEqual([['recording', null]]);

      // Undo: running again from where it stopped; the seconds spent deciding were a pause.
      await tid(page, 'btn-undo-stop').click();
      await tid(page, 'btn-pause').waitFor();
      expect(await tid(page, 'stop-undo').count()).toBe(0);
      expect(await elapsedS(page)).toBe(atStop);
      await page.clock.runFor(2_000);
      await expect.poll(() => elapsedS(page)).toBe(atStop + 2);
      await expect.poll(async () => (await stored(page))[0]!.timer.stoppedAt).toBeNull();
      const resumed = (await stored(page))[0]!;
      expect(resumed).toMatchObject({ status: 'recording', endedAt: null });
      expect(resumed.timer.pausedTotal).toBeGreaterThanOrEqual(6_000);

      // Past the window the stop is saved by itself.
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      await tid(page, 'stop-undo').waitFor();
      await page.clock.runFor(9_000);
      // Still undoable (saving hides the bar at once, before any write).
      expect(await tid(page, 'stop-undo').count()).toBe(1);
      await page.clock.runFor(1_500);
      await tid(page, 'summary').waitFor();
      await expect.poll(async () => (await stored(page)).map((s) => s.status)).toEqual(['finished']);
      expect((await stored(page))[0]!.endedAt).not.toBeNull();
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
