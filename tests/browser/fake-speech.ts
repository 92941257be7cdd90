/**
 * Test doubles of browser APIs (not of our code) for spoken and beeped cues, installed with
 * `page.addInitScript`.
 *
 * - `installFakeSpeech`: a speechSynthesis that says each utterance in 400 ms and records every
 *   one asked for in `window.__said` (and whether another was still being said). Like Chromium's,
 *   it refuses an utterance (`error` event, `not-allowed`) while the page has had no user
 *   activation yet (`navigator.userActivation.hasBeenActive`), as after a reload. With
 *   `{ webkit: true }` it follows WebKit's rule on iOS instead (SpeechSynthesis.cpp, cited in
 *   web/src/lib/workout/speech.ts): an utterance is dropped silently, with no event, until one
 *   `speak()` runs inside a user gesture (`navigator.userActivation.isActive`, the transient
 *   activation). The silent unlock utterance (empty text, volume 0) is reported apart, as
 *   `speech-unlock` with whether it ran inside the gesture, and never counts as said.
 * - `installAudioProbe`: the page's real AudioContexts, each kept in `window.__audio` with every
 *   oscillator start recorded (`window.__beeps`) with the context's state at that moment.
 *
 * Both also report each event as a console message (`cue-probe {json}`, read with
 * `collectProbe`), and `installAudioProbe` reports when the sound prompt shows or hides. A test
 * that must not give the page a user activation reads those instead of evaluating in the page:
 * Playwright runs its evaluations and locator queries as user gestures.
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

export function installFakeSpeech(options?: { webkit?: boolean }): void {
  type Activation = { hasBeenActive: boolean; isActive: boolean };
  const activation = () => (navigator as Navigator & { userActivation?: Activation }).userActivation;
  const report = (e: object) => console.debug('cue-probe ' + JSON.stringify({ ...e, active: activation()?.hasBeenActive ?? null }));
  const said: Utterance[] = [];
  let current: SpeechSynthesisUtterance | null = null;
  /** WebKit: the restriction a speak() inside a gesture lifts for good. */
  let restricted = options?.webkit === true;
  const synth = {
    get speaking() {
      return current !== null;
    },
    pending: false,
    paused: false,
    onvoiceschanged: null,
    speak(u: SpeechSynthesisUtterance) {
      const inGesture = activation()?.isActive ?? false;
      if (u.text === '' && u.volume === 0) {
        if (restricted && inGesture) restricted = false;
        report({ kind: 'speech-unlock', at: Date.now(), inGesture });
        const refused = !options?.webkit && activation() !== undefined && !activation()!.hasBeenActive;
        const event = refused ? Object.assign(new Event('error'), { error: 'not-allowed' }) : new Event('end');
        setTimeout(() => (refused ? u.onerror?.(event as SpeechSynthesisErrorEvent) : u.onend?.(event as SpeechSynthesisEvent)), 0);
        return;
      }
      if (options?.webkit) {
        if (inGesture) restricted = false;
        else if (restricted) {
          // Dropped: nothing queued, no event (WebKit returns from speak()).
          said.push({ text: u.text, at: Date.now(), overlapped: false, refused: true });
          report({ kind: 'speech', text: u.text, at: Date.now(), refused: true });
          return;
        }
      } else if (activation() && !activation()!.hasBeenActive) {
        said.push({ text: u.text, at: Date.now(), overlapped: false, refused: true });
        report({ kind: 'speech', text: u.text, at: Date.now(), refused: true });
        setTimeout(() => u.onerror?.(Object.assign(new Event('error'), { error: 'not-allowed' }) as SpeechSynthesisErrorEvent), 0);
        return;
      }
      said.push({ text: u.text, at: Date.now(), overlapped: current !== null, refused: false });
      report({ kind: 'speech', text: u.text, at: Date.now(), refused: false, overlapped: current !== null });
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
  const report = (e: object) =>
    console.debug('cue-probe ' + JSON.stringify({ ...e, active: (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation?.hasBeenActive ?? null }));
  const contexts: AudioContext[] = [];
  const beeps: Beep[] = [];
  const Real = window.AudioContext;
  class Probed extends Real {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.push(this);
      report({ kind: 'audio', state: this.state, at: Date.now() });
      this.addEventListener('statechange', () => report({ kind: 'audio', state: this.state, at: Date.now() }));
    }
  }
  Object.defineProperty(window, 'AudioContext', { configurable: true, writable: true, value: Probed });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (when?: number) {
    beeps.push({ at: Date.now(), state: (this.context as AudioContext).state });
    report({ kind: 'beep', state: (this.context as AudioContext).state, at: Date.now() });
    return start.call(this, when);
  };
  Object.assign(window, { __audio: contexts, __beeps: beeps });
  // The sound prompt showing or hiding, with where the elapsed time is (a spot to tap that is no button).
  let shown = false;
  new MutationObserver(() => {
    const now = document.querySelector('[data-testid="sound-prompt"]') !== null;
    if (now === shown) return;
    shown = now;
    const r = document.querySelector('[data-testid="workout-elapsed"]')?.getBoundingClientRect();
    report({ kind: 'prompt', shown, at: Date.now(), tap: r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null });
  }).observe(document, { subtree: true, childList: true });
}

export type ProbeEvent =
  | { kind: 'speech'; text: string; at: number; refused: boolean; overlapped?: boolean; active: boolean | null }
  | { kind: 'speech-unlock'; at: number; inGesture: boolean; active: boolean | null }
  | { kind: 'audio'; state: AudioContextState; at: number; active: boolean | null }
  | { kind: 'beep'; state: AudioContextState; at: number; active: boolean | null }
  | { kind: 'prompt'; shown: boolean; at: number; tap: { x: number; y: number } | null; active: boolean | null };

/** Every probe event the page reports from now on, in order (read without touching the page). */
export function collectProbe(page: Page): ProbeEvent[] {
  const events: ProbeEvent[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('cue-probe ')) events.push(JSON.parse(text.slice('cue-probe '.length)) as ProbeEvent);
  });
  return events;
}

/** Every utterance asked for so far. */
export const utterances = (page: Page) => page.evaluate(() => (window as unknown as { __said: Utterance[] }).__said.map((u) => ({ ...u })));
/** Every beep started so far. */
export const beeps = (page: Page) => page.evaluate(() => (window as unknown as { __beeps: Beep[] }).__beeps.map((b) => ({ ...b })));
/** The state of each AudioContext the page made. */
export const audioStates = (page: Page) => page.evaluate(() => (window as unknown as { __audio: AudioContext[] }).__audio.map((c) => c.state));
