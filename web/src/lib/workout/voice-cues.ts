/**
 * Spoken cues on this device: core/workout's cue queue (what to say, when, never two at once,
 * never over a beep) driven by the controller's ticks and the speech adapter's end events.
 */
import { clearQueue, ended, enqueue, EMPTY_CUE_QUEUE, step, type BeepWindow, type Cue, type CueAction, type CueQueue, type SpokenCue } from '$core/workout';
import { BEEP_MS } from './cue-player';
import type { Speech } from './speech';

/** Room around a beep that speech keeps clear of (timer ticks are ~200 ms apart). */
const BEEP_MARGIN_MS = 80;

/** The wall-time windows in which the timer's beeps sound. */
export function beepWindows(cues: readonly Cue[]): BeepWindow[] {
  return cues.map((c) => ({ start: c.at - BEEP_MARGIN_MS, end: c.at + BEEP_MS[c.kind] + BEEP_MARGIN_MS }));
}

export class VoiceCues {
  #queue: CueQueue = EMPTY_CUE_QUEUE;
  #beeps: readonly BeepWindow[] = [];
  readonly #speech: Speech;
  readonly #now: () => number;

  constructor(speech: Speech, now: () => number) {
    this.#speech = speech;
    this.#now = now;
  }

  get supported(): boolean {
    return this.#speech.supported;
  }

  /** New cues that came due, and the beeps around now; says what the queue says to say. */
  update(incoming: readonly SpokenCue[], beeps: readonly BeepWindow[]): void {
    this.#beeps = beeps;
    this.#queue = enqueue(this.#queue, incoming);
    this.#step();
  }

  /** Stop talking and forget what was waiting (pause, skip, stop, speech off). */
  clear(): void {
    const r = clearQueue(this.#queue);
    this.#queue = r.queue;
    this.#perform(r.actions);
  }

  #step(): void {
    const r = step(this.#queue, this.#now(), this.#beeps);
    this.#queue = r.queue;
    this.#perform(r.actions);
  }

  #perform(actions: readonly CueAction[]): void {
    for (const action of actions) {
      if (action.type === 'cancel') {
        this.#speech.cancel();
        continue;
      }
      const id = action.cue.id;
      this.#speech.speak(action.cue.text, () => {
        const before = this.#queue;
        this.#queue = ended(this.#queue, id);
        // The next cue need not wait for the next tick.
        if (before !== this.#queue) queueMicrotask(() => this.#step());
      });
    }
  }
}
