import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { audioStates, beeps, installAudioProbe, installFakeSpeech, utterances } from './fake-speech';

// A workout that resumes by itself after a reload has no user gesture behind it, and browsers
// keep audio and speech silent until one. Chromium runs here with the autoplay policy a phone has
// (`document-user-activation-required`), so the page's real AudioContext stays suspended after
// the reload; the speechSynthesis double refuses utterances until the page has had a tap, as
// Chromium does. The live screen must say so, and one tap anywhere must bring the cues back.
const server = useTestServer();
const AUTOPLAY_NEEDS_GESTURE = '--autoplay-policy=document-user-activation-required';

const tid = (page: Page, id: string) => page.getByTestId(id);
const activated = (page: Page) => page.evaluate(() => (navigator as Navigator & { userActivation: { hasBeenActive: boolean } }).userActivation.hasBeenActive);

describe('cues after a workout resumed by itself', () => {
  it('reload mid-workout: the live screen asks for a tap, stays silent until it, and one tap anywhere brings beeps and speech back', async () => {
    const b = await openBrowser({ viewport: { width: 390, height: 844 }, args: [AUTOPLAY_NEEDS_GESTURE] });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript(installFakeSpeech);
      await page.addInitScript(installAudioProbe);

      // Tabata started by a tap: sound works, and nothing asks for a tap.
      await page.goto(`${server.url}/workout`);
      await tid(page, 'preset-tabata').click();
      await tid(page, 'workout-live').waitFor();
      await expect.poll(() => audioStates(page)).toEqual(['running']);
      await expect.poll(async () => (await utterances(page)).filter((u) => !u.refused).length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await tid(page, 'sound-prompt').count()).toBe(0);

      await page.reload();
      // No tap from here on: the workout is back by itself, and the browser holds its sound.
      await tid(page, 'workout-live').waitFor();
      expect(await activated(page)).toBe(false);
      const prompt = tid(page, 'sound-prompt');
      await prompt.waitFor({ timeout: 10_000 });
      expect(await tid(page, 'sound-turn-on').textContent()).toContain('Tap to turn sound back on');
      expect(await audioStates(page)).toEqual(['suspended']);
      // A cue comes due while it waits: refused, never said, and no beep started.
      await expect.poll(async () => (await utterances(page)).filter((u) => u.refused).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect((await utterances(page)).filter((u) => !u.refused)).toEqual([]);
      expect(await beeps(page)).toEqual([]);
      expect(await prompt.isVisible()).toBe(true);

      // One tap on the screen (the elapsed time: no button), not on the prompt.
      const tapAt = Date.now();
      await tid(page, 'workout-elapsed').click();
      await expect.poll(() => prompt.count()).toBe(0);
      await expect.poll(() => audioStates(page)).toEqual(['running']);
      // The next cues sound: a beep on the running clock and an utterance said, not refused.
      await expect.poll(async () => (await beeps(page)).filter((x) => x.state === 'running' && x.at >= tapAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(async () => (await utterances(page)).filter((u) => !u.refused && u.at >= tapAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect((await beeps(page)).filter((x) => x.state !== 'running')).toEqual([]);
      expect((await utterances(page)).filter((u) => u.overlapped)).toEqual([]);
      // The tap paused nothing: the workout runs on.
      expect(await tid(page, 'workout-live').count()).toBe(1);
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
