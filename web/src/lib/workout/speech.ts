/**
 * Spoken cues through the Web Speech API (`speechSynthesis`), where the browser has it. What is
 * said when, and never two at once, is core/workout's cue queue; this adapter only speaks one
 * utterance and says when it ended. The fake records what was said, for tests.
 *
 * With the screen locked or the tab hidden, browsers throttle timers and may pause speech:
 * the workout keeps the screen on (wake-lock.ts) instead, and Settings says so.
 */
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
  /** Stop what is being said now (its `done` runs). */
  cancel(): void;
}

type SpeechWindow = { speechSynthesis?: SpeechSynthesis; SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance; navigator?: Navigator };

export function browserSpeech(win: SpeechWindow | undefined = globalThis as SpeechWindow): Speech {
  const synth = win?.speechSynthesis;
  const Utterance = win?.SpeechSynthesisUtterance;
  const supported = !!synth && typeof Utterance === 'function';
  let current: { done: () => void } | null = null;
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
      const utterance = new Utterance!(text);
      if (win?.navigator?.language) utterance.lang = win.navigator.language;
      utterance.onend = finish;
      utterance.onerror = (e) => {
        if ((e as SpeechSynthesisErrorEvent).error === 'not-allowed') speech.onrefused?.();
        finish();
      };
      current = entry;
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
    get speaking() {
      return current?.text ?? null;
    },
    speak(text, done) {
      if (current) throw new Error(`"${text}" spoken over "${current.text}"`);
      said.push(text);
      current = { text, done };
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
