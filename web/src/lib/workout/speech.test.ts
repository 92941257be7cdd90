import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserSpeech, DROPPED_AFTER_MS } from './speech';

/**
 * A speechSynthesis that behaves as WebKit's on iOS (SpeechSynthesis.cpp, cited in speech.ts):
 * outside a user gesture `speak()` drops the utterance silently (no event, nothing queued) until
 * one `speak()` inside a gesture lifts the restriction for good.
 */
function webkitSynth() {
  let restricted = true;
  let inGesture = false;
  const queue: SpeechSynthesisUtterance[] = [];
  const spoken: Array<{ text: string; volume: number }> = [];
  const synth = {
    get speaking() {
      return queue.length > 0;
    },
    get pending() {
      return queue.length > 1;
    },
    speak(u: SpeechSynthesisUtterance) {
      if (inGesture) restricted = false;
      else if (restricted) return;
      queue.push(u);
      spoken.push({ text: u.text, volume: u.volume });
    },
    cancel() {
      queue.splice(0);
    },
  };
  class Utterance {
    text: string;
    volume = 1;
    lang = '';
    onend: (() => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    constructor(text: string) {
      this.text = text;
    }
  }
  return {
    win: { speechSynthesis: synth as unknown as SpeechSynthesis, SpeechSynthesisUtterance: Utterance as unknown as typeof SpeechSynthesisUtterance },
    spoken,
    /** End the utterance being said. */
    end() {
      const u = queue.shift();
      u?.onend?.(new Event('end') as SpeechSynthesisEvent);
    },
    gesture(fn: () => void) {
      inGesture = true;
      try {
        fn();
      } finally {
        inGesture = false;
      }
    },
  };
}

describe('browser speech', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Safari: an utterance dropped for want of a gesture is reported and ended; unlock inside a tap lets the next ones speak', () => {
    const s = webkitSynth();
    const speech = browserSpeech(s.win);
    let refused = 0;
    speech.onrefused = () => refused++;
    let done = 0;
    speech.speak('Work', () => done++);
    // Dropped silently by the browser: the adapter notices, so the cue queue is not stuck.
    expect(s.spoken).toEqual([]);
    expect(done).toBe(0);
    vi.advanceTimersByTime(DROPPED_AFTER_MS);
    expect(refused).toBe(1);
    expect(done).toBe(1);

    s.gesture(() => speech.unlock());
    expect(s.spoken).toEqual([{ text: '', volume: 0 }]);
    s.end();
    // Outside any gesture from now on, as the timer's cues are.
    speech.speak('10 seconds', () => done++);
    expect(s.spoken.at(-1)).toEqual({ text: '10 seconds', volume: 1 });
    vi.advanceTimersByTime(DROPPED_AFTER_MS);
    expect(done).toBe(1);
    s.end();
    expect(done).toBe(2);
    expect(refused).toBe(1);
  });

  it('an utterance the browser refuses or fails with an event is settled by that event, not counted as dropped', () => {
    const s = webkitSynth();
    const speech = browserSpeech(s.win);
    let refused = 0;
    speech.onrefused = () => refused++;
    let done = 0;
    // As Chromium with no speech engine: nothing queued, an error event at once.
    const synth = s.win.speechSynthesis as unknown as { speak(u: SpeechSynthesisUtterance): void };
    synth.speak = (u) => setTimeout(() => u.onerror?.(Object.assign(new Event('error'), { error: 'synthesis-failed' }) as SpeechSynthesisErrorEvent), 0);
    speech.speak('Work', () => done++);
    vi.advanceTimersByTime(DROPPED_AFTER_MS * 2);
    expect(done).toBe(1);
    expect(refused).toBe(0);
  });

  it('a drop noticed after the tap does not ask for another tap', () => {
    const s = webkitSynth();
    const speech = browserSpeech(s.win);
    let refused = 0;
    speech.onrefused = () => refused++;
    speech.speak('Rest', () => {});
    s.gesture(() => speech.unlock());
    vi.advanceTimersByTime(DROPPED_AFTER_MS);
    expect(refused).toBe(0);
  });

  it('an unlock outside a gesture lifts nothing (it must run inside the tap)', () => {
    const s = webkitSynth();
    const speech = browserSpeech(s.win);
    speech.unlock();
    let done = 0;
    speech.speak('Rest', () => done++);
    vi.advanceTimersByTime(DROPPED_AFTER_MS);
    expect(s.spoken).toEqual([]);
    expect(done).toBe(1);
  });
});
