/**
 * Sound for the timer cues (core/workout cuesBetween): short beeps at 3-2-1 and a long beep at
 * each phase change. The Web Audio player schedules each beep on the audio clock
 * (AudioContext.currentTime) ahead of time, so beeps sound on time even when the main thread is
 * busy or throttled; the fake records what was scheduled.
 */
import type { Cue } from '$core/workout';

export interface CuePlayer {
  /** Must run inside a user gesture once (browsers start audio only after one). */
  unlock(): Promise<void>;
  /**
   * Starts audio without a gesture where the browser allows it (a kiosk started with Chromium's
   * `--autoplay-policy=no-user-gesture-required`, or a site the browser already lets play).
   * True once sound is on; false within `waitMs` otherwise, and a gesture must `unlock`.
   */
  autoUnlock(waitMs?: number): Promise<boolean>;
  /** Schedule `cues` (wall-time `at`), given the current wall time. */
  schedule(cues: readonly Cue[], wallNow: number): void;
  /** Silence every scheduled beep that has not sounded yet (pause, skip, stop, mute). */
  cancel(): void;
  close(): void;
}

const SHORT = { hz: 880, seconds: 0.12 };
const LONG = { hz: 660, seconds: 0.6 };
/** How long each beep sounds (spoken cues keep clear of them: voice-cues.ts). */
export const BEEP_MS: Record<Cue['kind'], number> = { short: SHORT.seconds * 1000, long: LONG.seconds * 1000 };
const GAIN = 0.25;
/** A short ramp avoids the click of a square start/stop. */
const RAMP_S = 0.01;

export function webAudioCuePlayer(createContext: () => AudioContext = () => new AudioContext()): CuePlayer {
  let ctx: AudioContext | null = null;
  let scheduled: OscillatorNode[] = [];
  return {
    async unlock() {
      ctx ??= createContext();
      if (ctx.state === 'suspended') await ctx.resume().catch(() => {});
    },
    autoUnlock(waitMs = 1_500) {
      // An AudioContext made without a gesture starts running by itself only where autoplay is
      // allowed; elsewhere it stays suspended (and resume() would wait for a gesture forever).
      const c = (ctx ??= createContext());
      return new Promise<boolean>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          c.removeEventListener('statechange', check);
          resolve(c.state === 'running');
        };
        const check = () => {
          if (c.state === 'running') done();
        };
        const timer = setTimeout(done, waitMs);
        c.addEventListener('statechange', check);
        check();
      });
    },
    schedule(cues, wallNow) {
      // A suspended clock stands still: beeps scheduled on it would all sound late, at once,
      // when a tap resumes it. The caller schedules again from then (sound-gate.svelte.ts).
      if (!ctx || ctx.state !== 'running') return;
      const audioNow = ctx.currentTime;
      for (const cue of cues) {
        const tone = cue.kind === 'long' ? LONG : SHORT;
        const start = Math.max(audioNow, audioNow + (cue.at - wallNow) / 1000);
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = tone.hz;
        gain.gain.setValueAtTime(0, start);
        gain.gain.linearRampToValueAtTime(GAIN, start + RAMP_S);
        gain.gain.setValueAtTime(GAIN, start + tone.seconds - RAMP_S);
        gain.gain.linearRampToValueAtTime(0, start + tone.seconds);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(start + tone.seconds);
        osc.onended = () => {
          scheduled = scheduled.filter((o) => o !== osc);
          gain.disconnect();
        };
        scheduled.push(osc);
      }
    },
    cancel() {
      for (const osc of scheduled) {
        try {
          osc.stop();
        } catch {
          // Already stopped.
        }
      }
      scheduled = [];
    },
    close() {
      this.cancel();
      void ctx?.close().catch(() => {});
      ctx = null;
    },
  };
}

export interface FakeCuePlayer extends CuePlayer {
  readonly scheduled: Cue[];
  readonly cancels: number;
  readonly unlocked: boolean;
}

export function fakeCuePlayer(): FakeCuePlayer {
  const scheduled: Cue[] = [];
  let cancels = 0;
  let unlocked = false;
  return {
    scheduled,
    get cancels() {
      return cancels;
    },
    get unlocked() {
      return unlocked;
    },
    async unlock() {
      unlocked = true;
    },
    async autoUnlock() {
      return unlocked;
    },
    schedule(cues) {
      scheduled.push(...cues);
    },
    cancel() {
      cancels++;
    },
    close() {},
  };
}
