/**
 * Wall time, passed in so tests drive time by hand (style.md §6): the one clock type of the
 * PWA, the strap code and the pure core. Capabilities that also schedule (a repeating timer)
 * extend it.
 */
export interface Clock {
  /** ms since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
