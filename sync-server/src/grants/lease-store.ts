/**
 * A lease that holds across server processes (spotify-emulator.md §3 rule 1; used by every provider and the sync jobs): one holder per
 * key; a holder that dies or stalls without releasing loses it once `ttlMs` has passed, and
 * exactly one of the processes trying then takes it over. Release frees only the caller's own
 * lease, never one someone else took over meanwhile.
 */
export interface Lease {
  release(): Promise<void>;
}

export type LeaseAnswer = Lease | { heldUntil: number };

export interface LeaseStore {
  /** The lease, or when someone else holds it until. */
  tryAcquire(key: string, ttlMs: number, now: number): Promise<LeaseAnswer>;
}

export const isLease = (x: LeaseAnswer): x is Lease => 'release' in x;
