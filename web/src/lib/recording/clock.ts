import type { Clock as WallClock } from '$core/time';

/** Wall time (the one clock type, core/time/clock.ts) and a repeating timer, passed in so tests drive time by hand. */
export interface Clock extends WallClock {
  /** Calls `fn` every `ms`; returns the cancel function. */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    return () => clearInterval(handle);
  },
};

/** A clock for tests: time moves only through `advance`, which fires due timers in order. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(t: number): void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  let nextId = 0;
  const timers = new Map<number, { ms: number; due: number; fn: () => void }>();
  return {
    now: () => t,
    every(ms, fn) {
      const id = nextId++;
      timers.set(id, { ms, due: t + ms, fn });
      return () => void timers.delete(id);
    },
    advance(ms) {
      const end = t + ms;
      for (;;) {
        let next: { ms: number; due: number; fn: () => void } | undefined;
        for (const timer of timers.values()) if (timer.due <= end && (!next || timer.due < next.due)) next = timer;
        if (!next) break;
        t = next.due;
        next.due += next.ms;
        next.fn();
      }
      t = end;
    },
    set(value) {
      t = value;
    },
  };
}
