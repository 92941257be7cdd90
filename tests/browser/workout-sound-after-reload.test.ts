import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { audioStates, collectProbe, installAudioProbe, installFakeSpeech, utterances, type ProbeEvent } from './fake-speech';

// A workout that resumes by itself after a reload has no user gesture behind it, and browsers
// keep audio and speech silent until one. Chromium runs here with the autoplay policy a phone has
// (`document-user-activation-required`), so the page's real AudioContext stays suspended after
// the reload; the speechSynthesis double refuses utterances until the page has had a tap, as
// Chromium does. The live screen must say so, and one tap anywhere must bring the cues back.
const server = useTestServer();
const AUTOPLAY_NEEDS_GESTURE = '--autoplay-policy=document-user-activation-required';

const tid = (page: Page, id: string) => page.getByTestId(id);

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

      // From the reload on the test reads only what the page reports on its console: Playwright's
      // evaluations and locator queries count as user gestures, and would unlock it themselves.
      const events = collectProbe(page);
      const of = <K extends ProbeEvent['kind']>(kind: K) => events.filter((e): e is Extract<ProbeEvent, { kind: K }> => e.kind === kind);
      await page.reload();
      // No tap from here on: the workout is back by itself, and the browser holds its sound.
      await expect.poll(() => of('prompt').filter((e) => e.shown).length, { timeout: 15_000 }).toBe(1);
      // A cue comes due while it waits: refused, never said, and no beep started.
      await expect.poll(() => of('speech').filter((e) => e.refused).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(of('speech').filter((e) => !e.refused)).toEqual([]);
      expect(of('beep')).toEqual([]);
      expect(of('audio').map((e) => e.state)).toEqual(['suspended']);
      expect(events.filter((e) => e.active !== false), 'no user activation before the tap').toEqual([]);
      expect(of('prompt').at(-1)!.shown).toBe(true);

      // One tap on the screen: on the elapsed time (no button), not on the prompt.
      const tap = of('prompt')[0]!.tap;
      expect(tap, 'the live screen is shown under the prompt').not.toBeNull();
      const tapAt = Date.now();
      await page.mouse.click(tap!.x, tap!.y);
      await expect.poll(() => of('prompt').at(-1)!.shown).toBe(false);
      await expect.poll(() => of('audio').at(-1)!.state).toBe('running');
      // The next cues sound: a beep on the running clock and an utterance said, not refused.
      await expect.poll(() => of('beep').filter((e) => e.state === 'running' && e.at >= tapAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => of('speech').filter((e) => !e.refused && e.at >= tapAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(of('beep').filter((e) => e.state !== 'running')).toEqual([]);
      expect(of('speech').filter((e) => e.overlapped)).toEqual([]);
      // The tap paused nothing: the workout runs on, and the prompt is gone.
      expect(await tid(page, 'btn-pause').isVisible()).toBe(true);
      expect(await tid(page, 'sound-prompt').count()).toBe(0);
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
