/**
 * Spoken cues through the Web Speech API (`speechSynthesis`), where the browser has it. What is
 * said when, and never two at once, is core/workout's cue queue; this adapter only speaks one
 * utterance and says when it ended. The fake records what was said, for tests.
 *
 * With the screen locked or the tab hidden, browsers throttle timers and may pause speech:
 * the workout keeps the screen on (wake-lock.ts) instead, and Settings says so.
 *
 * Gestures. Chromium refuses an utterance (an `error` event, `not-allowed`) until the page has
 * had a user activation; any tap will do, even one that did not speak. Safari on iOS is stricter
 * and silent: WebKit's `SpeechSynthesis::speak` drops every utterance, with no event at all, while
 * its `RequireUserGestureForSpeechStartRestriction` holds, and only a `speak()` called while
 * `UserGestureIndicator::processingUserGesture()` lifts it, for the rest of the page's life
 * (WebKit Source/WebCore/Modules/speech/SpeechSynthesis.cpp, "Like Audio, we should require that
 * the user interact to start a speech synthesis session", under PLATFORM(IOS_FAMILY); the
 * restriction is set when the document requires a user gesture for audio playback). So a workout
 * that resumed by itself after a reload stays mute on an iPhone, however often the member taps,
 * unless one of those taps calls `speak()`: `unlock()` does, with an empty utterance at volume 0,
 * and sound-gate.svelte.ts calls it synchronously inside every tap that turns sound on (Start,
 * the prompt's button, any tap on the live screen). `speak()` also notices an utterance dropped
 * that way (neither speaking nor pending right after `speak()`, and no event within
 * `DROPPED_AFTER_MS`), reports it as refused and ends it, so the cue queue does not wait forever
 * for an `end` that never comes. (Chromium also leaves an utterance it refuses or fails out of
 * the queue, but says so with an `error` event, which settles it first.)
 */

/** How long an utterance that was not queued may take to fire its `error` before it counts as dropped. */
export const DROPPED_AFTER_MS = 500;
export interface Speech {
  readonly supported: boolean;
  /**
   * Runs when the browser refused an utterance because the page has had no user gesture yet
   * (Chromium: an `error` event with `not-allowed`), as after a workout resumed by itself on a
   * reload: sound-gate.svelte.ts then asks for a tap.
   */
  onrefused: (() => void) | null;
  /** Say `text`; `done` runs once when it ended, failed or was cancelled. */
  speak(text: string, done: () => void): void;
  /**
   * Call synchronously inside a user gesture (a tap, a key): says nothing (an empty utterance at
   * volume 0), which lifts Safari's gesture restriction for the rest of the page's life.
   */
  unlock(): void;
  /** Stop what is being said now (its `done` runs). */
  cancel(): void;
}

type SpeechWindow = { speechSynthesis?: SpeechSynthesis; SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance; navigator?: Navigator };

export function browserSpeech(win: SpeechWindow | undefined = globalThis as SpeechWindow): Speech {
  const synth = win?.speechSynthesis;
  const Utterance = win?.SpeechSynthesisUtterance;
  const supported = !!synth && typeof Utterance === 'function';
  let current: { done: () => void } | null = null;
  /** Unlocks so far: a refusal of an utterance spoken before the latest tap is old news. */
  let unlocks = 0;
  const speech: Speech = {
    supported,
    onrefused: null,
    speak(text, done) {
      if (!supported) return done();
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        if (current === entry) current = null;
        done();
      };
      const entry = { done: finish };
      const unlocksBefore = unlocks;
      const refused = () => {
        if (unlocks === unlocksBefore) speech.onrefused?.();
      };
      const utterance = new Utterance!(text);
      if (win?.navigator?.language) utterance.lang = win.navigator.language;
      utterance.onend = finish;
      utterance.onerror = (e) => {
        if ((e as SpeechSynthesisErrorEvent).error === 'not-allowed') refused();
        finish();
      };
      current = entry;
      synth!.speak(utterance);
      // WebKit on iOS drops an utterance spoken without a gesture silently (see above): nothing
      // queued, and no event will come.
      if (!synth!.speaking && !synth!.pending) {
        setTimeout(() => {
          if (finished) return;
          refused();
          finish();
        }, DROPPED_AFTER_MS);
      }
    },
    unlock() {
      if (!supported) return;
      unlocks++;
      const utterance = new Utterance!('');
      utterance.volume = 0;
      utterance.onerror = (e) => {
        if ((e as SpeechSynthesisErrorEvent).error === 'not-allowed') speech.onrefused?.();
      };
      synth!.speak(utterance);
    },
    cancel() {
      if (!supported) return;
      const entry = current;
      current = null;
      synth!.cancel();
      // Browsers differ on whether a cancelled utterance fires `end`, `error` or nothing.
      entry?.done();
    },
  };
  return speech;
}

export interface FakeSpeech extends Speech {
  readonly said: string[];
  readonly cancels: number;
  /** How many times `unlock` was called. */
  readonly unlocks: number;
  /** The utterance being said, if any. */
  readonly speaking: string | null;
  /** End the utterance being said (as the browser's `end` event). */
  finish(): void;
  /** Refuse the utterance being said, as a browser without a user gesture does. */
  refuse(): void;
}

export function fakeSpeech(supported = true): FakeSpeech {
  const said: string[] = [];
  let cancels = 0;
  let unlocks = 0;
  let current: { text: string; done: () => void } | null = null;
  const end = () => {
    const c = current;
    current = null;
    c?.done();
  };
  const speech: FakeSpeech = {
    supported,
    said,
    onrefused: null,
    get cancels() {
      return cancels;
    },
    get unlocks() {
      return unlocks;
    },
    get speaking() {
      return current?.text ?? null;
    },
    speak(text, done) {
      if (current) throw new Error(`"${text}" spoken over "${current.text}"`);
      said.push(text);
      current = { text, done };
    },
    unlock() {
      unlocks++;
    },
    cancel() {
      cancels++;
      end();
    },
    finish: end,
    refuse() {
      speech.onrefused?.();
      end();
    },
  };
  return speech;
}
