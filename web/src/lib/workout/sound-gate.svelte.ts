/**
 * Whether the browser lets the workout make sound now. Browsers start audio (Web Audio) and
 * speech (Chromium's speechSynthesis) only after a user gesture on the page. A workout started
 * by a tap has one; a workout that resumed by itself after a reload or a crash
 * (recording/resume-policy) has none, and its beeps and spoken cues would stay silent until the
 * member happens to tap. So after such a resume the gate checks: when the audio clock stays
 * suspended, or the browser refuses an utterance (`not-allowed`), `blocked` turns true and the
 * live screen asks for one tap (SoundPrompt.svelte); that tap, anywhere on the page, unlocks
 * audio inside the gesture and gives the page the user activation speech needs.
 *
 * Safari on iOS gives no sign at all that it dropped an utterance, and needs the unlocking
 * `speak()` to happen inside the gesture itself (speech.ts cites WebKit). So `unlock` speaks the
 * silent unlock utterance and resumes the audio clock synchronously, before its first await, and
 * from a start without a gesture until a tap has turned sound on (`awaitingGesture`) the live
 * screen unlocks on the first pointerdown, pointerup, touchend, click or key anywhere, whether or
 * not the prompt is showing yet.
 *
 * Vibration is not held back by the gate: the controller keeps buzzing its cues, and each
 * browser lets them through or not by its own rule (Chromium also wants a tap first; the same
 * tap then brings them back).
 */
import type { CuePlayer } from './cue-player';
import type { Speech } from './speech';

/** How long an automatic start waits for the audio clock to run by itself. */
export const AUTO_UNLOCK_WAIT_MS = 1_500;

export class SoundGate {
  /** Audio or speech was refused for want of a gesture: the screen asks for a tap. */
  blocked = $state(false);
  /** Started without a gesture, and no tap has turned sound on since: unlock on the next one. */
  awaitingGesture = $state(false);
  readonly #cues: CuePlayer;
  readonly #speech: Speech | undefined;
  readonly #onUnlocked: () => void;
  /** A check started before the tap must not mark the sound blocked after it. */
  #generation = 0;

  /** `onUnlocked` runs after a tap turned sound back on (schedule the beeps again from now). */
  constructor(cues: CuePlayer, speech: Speech | undefined, onUnlocked: () => void) {
    this.#cues = cues;
    this.#speech = speech;
    this.#onUnlocked = onUnlocked;
    if (speech) speech.onrefused = () => (this.blocked = true);
  }

  /** After a start without a gesture: is sound on by itself? If not, ask for a tap. */
  async check(waitMs = AUTO_UNLOCK_WAIT_MS): Promise<boolean> {
    const generation = this.#generation;
    this.awaitingGesture = true;
    const on = await this.#cues.autoUnlock(waitMs);
    if (generation === this.#generation) {
      // Audio that starts by itself (autoplay allowed) means speech is allowed as well.
      if (on) this.awaitingGesture = false;
      else this.blocked = true;
    }
    return on;
  }

  /**
   * The start of a press (pointerdown): speech and audio unlocked inside it, in case the browser
   * counts this event as the gesture, and nothing on screen changes (the prompt stays until the
   * press ends, so nothing moves under the finger). `unlock` follows on pointerup or click.
   */
  prime(): void {
    this.#speech?.unlock();
    void this.#cues.unlock();
  }

  /**
   * Call synchronously inside a user gesture (a tap, a key): speaks the silent unlock utterance
   * and resumes the audio clock before anything is awaited, as Safari requires.
   */
  async unlock(): Promise<void> {
    this.#speech?.unlock();
    const resumed = this.#cues.unlock();
    this.#generation++;
    const wasBlocked = this.blocked;
    this.blocked = false;
    await resumed;
    // Still refused (a browser that did not count this as a gesture): keep asking.
    if (!(await this.#cues.autoUnlock(100))) this.blocked = true;
    else {
      this.awaitingGesture = false;
      if (wasBlocked) this.#onUnlocked();
    }
  }
}
