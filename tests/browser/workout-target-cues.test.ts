import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { installFakeSpeech, utterances } from './fake-speech';
import { installFakeBluetooth } from './strap-fake-bluetooth';

// The real PWA (built) on a real sync server, in Debian's Chromium: a plan whose work bout aims
// at 130-150 bpm, run with the injected fake strap sending the heart rate the test chooses. The
// browser's speechSynthesis is replaced by a recording double (fake-speech.ts: a test double of
// the browser API, not of our code): every utterance asked for, and whether another was still being said.
const server = useTestServer();

const tid = (page: Page, id: string) => page.getByTestId(id);
const status = (page: Page) => tid(page, 'target-status').getAttribute('data-status');

const said = utterances;
const texts = async (page: Page) => (await said(page)).map((u) => u.text);
const setBpm = (page: Page, bpm: number) => page.evaluate((b) => ((window as unknown as { __bpm: number }).__bpm = b), bpm);
/** Client-side navigation (the workout, the strap link and the fake all live on in the page). */
const goTo = (page: Page, href: string) =>
  page.evaluate((h) => {
    const a = document.createElement('a');
    a.href = h;
    document.body.append(a);
    a.click();
    a.remove();
  }, href);

describe('target heart rate and cues in a workout', () => {
  it('shows under / on / over target, speaks phases and target hints in order without overlap, and stops speaking when Settings turns speech off', async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await installFakeBluetooth(page);
      await page.addInitScript(installFakeSpeech);

      // Pair the fake strap; from now on it sends window.__bpm once a second.
      await page.goto(`${server.url}/strap`);
      await tid(page, 'strap-pair').click();
      await expect.poll(() => tid(page, 'strap-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('streaming');
      await setBpm(page, 110);
      await page.evaluate(() => {
        const fake = (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap;
        setInterval(() => fake.send([0x00, (window as unknown as { __bpm: number }).__bpm]), 1_000);
      });

      // Settings say what this browser can do; spoken cues are on by default.
      await goTo(page, '/settings');
      await expect.poll(() => tid(page, 'cues-support-speech').textContent()).toContain('can speak');
      expect(await tid(page, 'cues-speech').isChecked()).toBe(true);

      // A plan: 5 s prepare, one 120 s work bout aiming at 130-150 bpm (halfway is said at 65 s, after speech is off).
      await goTo(page, '/workout');
      await tid(page, 'plan-new').click();
      await tid(page, 'plan-name').fill('Target test');
      await tid(page, 'plan-prepare').fill('5');
      await tid(page, 'block-0-work').fill('120');
      await tid(page, 'block-0-rounds').fill('1');
      await tid(page, 'block-0-target').selectOption('bpm');
      await tid(page, 'block-0-target-min').fill('130');
      await tid(page, 'block-0-target-max').fill('150');
      await tid(page, 'plan-save').click();
      await tid(page, 'plan-saved').waitFor();
      await tid(page, 'plan-start').click();

      await tid(page, 'workout-live').waitFor();
      // Work starts at 5 s: under target at once (silently: the heart rate lags at a start).
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('under');
      expect(await tid(page, 'target-status-text').textContent()).toContain('Under target');
      await setBpm(page, 140);
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('on');
      expect(await tid(page, 'target-status-text').textContent()).toContain('On target');
      await setBpm(page, 170);
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('over');
      expect(await tid(page, 'target-status-text').textContent()).toContain('Over target');
      await setBpm(page, 110);
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('under');
      await expect.poll(() => texts(page), { timeout: 5_000 }).toContain('Speed up');

      const before = await said(page);
      expect(before.map((u) => u.text)).toEqual(['Get ready', 'Work, target 130 to 150', 'On target', 'Ease off', 'Speed up']);
      expect(before.filter((u) => u.overlapped)).toEqual([]);
      for (let i = 1; i < before.length; i++) expect(before[i]!.at).toBeGreaterThanOrEqual(before[i - 1]!.at);

      // Speech off in Settings (the workout runs on meanwhile): no more utterances.
      await goTo(page, '/settings');
      await tid(page, 'cues-speech').uncheck();
      await expect.poll(() => tid(page, 'cues-speech').isChecked()).toBe(false);
      await goTo(page, '/workout');
      await tid(page, 'workout-live').waitFor();
      await setBpm(page, 140);
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('on');
      await setBpm(page, 170);
      await expect.poll(() => status(page), { timeout: 15_000 }).toBe('over');
      expect(await texts(page)).toEqual(before.map((u) => u.text));
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
