/**
 * Test doubles of browser APIs (not of our code) for spoken and beeped cues, installed with
 * `page.addInitScript`.
 *
 * - `installFakeSpeech`: a speechSynthesis that says each utterance in 400 ms and records every
 *   one asked for in `window.__said` (and whether another was still being said). Like Chromium's,
 *   it refuses an utterance (`error` event, `not-allowed`) while the page has had no user
 *   activation yet (`navigator.userActivation.hasBeenActive`), as after a reload.
 * - `installAudioProbe`: the page's real AudioContexts, each kept in `window.__audio` with every
 *   oscillator start recorded (`window.__beeps`) with the context's state at that moment.
 */
import type { Page } from 'playwright-core';

export interface Utterance {
  text: string;
  at: number;
  /** Another utterance was still being said when this one was asked for. */
  overlapped: boolean;
  /** Refused for want of a user gesture (not said). */
  refused: boolean;
}

export interface Beep {
  at: number;
  /** AudioContext state when the oscillator was started. */
  state: AudioContextState;
}

export function installFakeSpeech(): void {
  const said: Utterance[] = [];
  let current: SpeechSynthesisUtterance | null = null;
  const synth = {
    get speaking() {
      return current !== null;
    },
    pending: false,
    paused: false,
    onvoiceschanged: null,
    speak(u: SpeechSynthesisUtterance) {
      const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
      if (activation && !activation.hasBeenActive) {
        said.push({ text: u.text, at: Date.now(), overlapped: false, refused: true });
        setTimeout(() => u.onerror?.(Object.assign(new Event('error'), { error: 'not-allowed' }) as SpeechSynthesisErrorEvent), 0);
        return;
      }
      said.push({ text: u.text, at: Date.now(), overlapped: current !== null, refused: false });
      current = u;
      setTimeout(() => {
        if (current !== u) return;
        current = null;
        u.onend?.(new Event('end') as SpeechSynthesisEvent);
      }, 400);
    },
    cancel() {
      const u = current;
      current = null;
      if (u) setTimeout(() => u.onerror?.(Object.assign(new Event('error'), { error: 'interrupted' }) as SpeechSynthesisErrorEvent), 0);
    },
    pause() {},
    resume() {},
    getVoices: () => [],
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => true,
  };
  Object.defineProperty(window, 'speechSynthesis', { configurable: true, get: () => synth });
  (window as unknown as { __said: Utterance[] }).__said = said;
}

export function installAudioProbe(): void {
  const contexts: AudioContext[] = [];
  const beeps: Beep[] = [];
  const Real = window.AudioContext;
  class Probed extends Real {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.push(this);
    }
  }
  Object.defineProperty(window, 'AudioContext', { configurable: true, writable: true, value: Probed });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (when?: number) {
    beeps.push({ at: Date.now(), state: (this.context as AudioContext).state });
    return start.call(this, when);
  };
  Object.assign(window, { __audio: contexts, __beeps: beeps });
}

/** Every utterance asked for so far. */
export const utterances = (page: Page) => page.evaluate(() => (window as unknown as { __said: Utterance[] }).__said.map((u) => ({ ...u })));
/** Every beep started so far. */
export const beeps = (page: Page) => page.evaluate(() => (window as unknown as { __beeps: Beep[] }).__beeps.map((b) => ({ ...b })));
/** The state of each AudioContext the page made. */
export const audioStates = (page: Page) => page.evaluate(() => (window as unknown as { __audio: AudioContext[] }).__audio.map((c) => c.state));
