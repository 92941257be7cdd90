/**
 * The emulator's only notion of time. Every lifetime (access tokens, refresh tokens, codes),
 * playback progress, idle devices, the rate window and history timestamps read `now()` from here,
 * so a test can jump months ahead with `POST /__emu/clock {advanceMs}` (spotify-emulator.md G2).
 */
export interface Clock {
  now(): number;
}

export interface ControllableClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** Frozen time that moves only when told to: deterministic unit tests. */
export function createManualClock(startMs: number): ControllableClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

/** Wall time plus an offset: a running demo or integration test where playback moves by itself. */
export function createSystemClock(realNow: () => number = Date.now): ControllableClock {
  let offset = 0;
  return {
    now: () => realNow() + offset,
    advance: (ms) => {
      offset += ms;
    },
    set: (ms) => {
      offset = ms - realNow();
    },
  };
}

/** 2026-09-01T07:00:00.000Z: the "Spotify as of Sept 2026" profile starts here by default. */
export const DEFAULT_START_MS = Date.UTC(2026, 8, 1, 7, 0, 0, 0);

/**
 * Calendar months in UTC. Refresh tokens expire "6 months after the user's original
 * authorization" (Spotify blog 2026-06-18); Spotify does not say how a month is counted, so we
 * use the calendar (Jan 31 + 1 month overflows into March, as Date does).
 */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}
