import { randomBytes } from 'node:crypto';

/**
 * What a provider's feature runs on besides its stores: the clock, sleeping, randomness and the
 * name this process holds leases and jobs under. Each is a parameter (tests pass a manual clock);
 * a feature built without them gets the real ones.
 */
export interface Runtime {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** `<pid>-<random>`: unique per process, and tells which process holds a job. */
  holder: string;
}

export const processHolder = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

export function runtimeOf(given: Partial<Runtime>): Runtime {
  return {
    now: given.now ?? Date.now,
    sleep: given.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: given.random ?? Math.random,
    holder: given.holder ?? processHolder(),
  };
}
