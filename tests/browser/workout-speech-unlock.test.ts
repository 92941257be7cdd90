import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { collectProbe, installAudioProbe, installFakeSpeech, type ProbeEvent } from './fake-speech';

// Safari on iOS drops every utterance silently until one `speak()` runs inside a user gesture
// (WebKit's SpeechSynthesis.cpp, cited in web/src/lib/workout/speech.ts): a tap that merely
// gives the page a user activation, as Chromium needs, is not enough. The speechSynthesis double
// follows that rule here (`webkit: true`) and reports whether the silent unlock utterance ran
// inside the gesture (`navigator.userActivation.isActive`). Chromium runs with a phone's autoplay
// policy, so audio stays suspended after the reload too.
const server = useTestServer();
const AUTOPLAY_NEEDS_GESTURE = '--autoplay-policy=document-user-activation-required';

const tid = (page: Page, id: string) => page.getByTestId(id);

describe('speech on Safari (WebKit gesture rule)', () => {
  it('Start and the first tap after a resume with no gesture speak the unlock utterance inside the gesture, and the cues after it are said', async () => {
    const b = await openBrowser({ viewport: { width: 390, height: 844 }, args: [AUTOPLAY_NEEDS_GESTURE] });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript(installFakeSpeech, { webkit: true });
      await page.addInitScript(installAudioProbe);
      // Read only from the page's console: Playwright's evaluations count as user gestures.
      const events = collectProbe(page);
      const of = <K extends ProbeEvent['kind']>(kind: K) => events.filter((e): e is Extract<ProbeEvent, { kind: K }> => e.kind === kind);

      // Start is a tap: the unlock utterance runs inside it, and the workout's cues are said.
      await page.goto(`${server.url}/workout`);
      await tid(page, 'preset-tabata').click();
      await tid(page, 'workout-live').waitFor();
      await expect.poll(() => of('speech-unlock').length).toBeGreaterThan(0);
      expect(of('speech-unlock').every((e) => e.inGesture)).toBe(true);
      await expect.poll(() => of('speech').filter((e) => !e.refused).length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(of('speech').filter((e) => e.refused)).toEqual([]);

      // Reload: the workout comes back by itself, with no gesture; Safari drops its cues silently.
      const reloadAt = Date.now();
      await page.reload();
      await expect.poll(() => of('speech').filter((e) => e.refused && e.at >= reloadAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(of('speech').filter((e) => !e.refused && e.at >= reloadAt)).toEqual([]);
      expect(of('speech-unlock').filter((e) => e.at >= reloadAt), 'nothing unlocks without a tap').toEqual([]);
      await expect.poll(() => of('prompt').filter((e) => e.at >= reloadAt && e.shown).length, { timeout: 15_000 }).toBe(1);

      // One tap on the live screen (the elapsed time, no button): the unlock utterance inside it.
      const tap = of('prompt').filter((e) => e.at >= reloadAt && e.shown)[0]!.tap;
      expect(tap).not.toBeNull();
      const tapAt = Date.now();
      await page.mouse.click(tap!.x, tap!.y);
      await expect.poll(() => of('speech-unlock').filter((e) => e.at >= tapAt).length).toBeGreaterThan(0);
      expect(of('speech-unlock').filter((e) => e.at >= tapAt).every((e) => e.inGesture), 'spoken inside the gesture').toBe(true);
      // The cues after the tap are said (the timer speaks them outside any gesture).
      await expect.poll(() => of('speech').filter((e) => !e.refused && e.at >= tapAt).length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(of('speech').filter((e) => e.overlapped)).toEqual([]);
      await expect.poll(() => of('prompt').at(-1)!.shown).toBe(false);
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
