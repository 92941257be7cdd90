/**
 * When to sync: on demand (app start, network back, tab visible, workout finished, sign-in)
 * and periodically, with exponential backoff and full jitter after failures
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). At most one
 * run at a time in this tab; a trigger during a run queues exactly one more run.
 *
 * These triggers only fire while a tab of the app is open. For the rest there is Background
 * Sync (./background-sync.ts): while changes wait, the SyncController registers a one-off sync
 * when a workout finishes, when the device is offline, or when a push failed for the network,
 * and the service worker (web/src/service-worker/) runs the same engine when the browser fires
 * it, after the tab was closed if need be. Where the browser has no Background Sync, the next
 * app start pushes instead.
 */
import { backoffDelay, type BackoffPolicy } from '$core/retry';
import type { SyncRunResult } from './engine';

export const PERIOD_MS = 5 * 60_000;
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 10 * 60_000;

/** Retries after failures: the shared rule (core/retry/backoff.ts), full jitter, ≥ 1 s. */
export const SYNC_RETRY: BackoffPolicy = { baseMs: FIRST_RETRY_MS, capMs: MAX_RETRY_MS, jitter: 'full', minMs: 1_000 };

export type SyncTrigger = 'start' | 'online' | 'visible' | 'workout' | 'signin' | 'periodic' | 'manual' | 'retry';

/** Delay before the next run: the period after success, jittered backoff after failures. */
export function nextDelay(result: SyncRunResult, failures: number, random: () => number): number {
  if (result.status === 'failed') {
    const retryAfter = result.error.retryAfterSeconds;
    const jittered = backoffDelay(SYNC_RETRY, failures, 0, random);
    return retryAfter !== undefined ? Math.max(retryAfter * 1000, jittered) : jittered;
  }
  return Math.round(PERIOD_MS * (0.8 + 0.4 * random()));
}

export interface SchedulerDeps {
  run: (trigger: SyncTrigger) => Promise<SyncRunResult>;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  random?: () => number;
}

export interface Scheduler {
  trigger(reason: SyncTrigger): Promise<void>;
  stop(): void;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const set = deps.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clear = deps.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const random = deps.random ?? Math.random;
  let running: Promise<void> | null = null;
  let again: SyncTrigger | null = null;
  let failures = 0;
  let timer: unknown = null;
  let stopped = false;

  async function loop(reason: SyncTrigger): Promise<void> {
    let next: SyncTrigger | null = reason;
    while (next && !stopped) {
      again = null;
      if (timer !== null) clear(timer);
      timer = null;
      const result = await deps.run(next).catch((error: unknown): SyncRunResult => ({
        status: 'failed',
        error: { status: 0, code: 'client_error', message: error instanceof Error ? error.message : String(error), requestId: null },
      }));
      failures = result.status === 'failed' ? failures + 1 : 0;
      if (!stopped && result.status !== 'guest' && result.status !== 'signed-out') {
        timer = set(() => void trigger(failures ? 'retry' : 'periodic'), nextDelay(result, failures, random));
      }
      next = again;
    }
  }

  function trigger(reason: SyncTrigger): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = reason;
      return running;
    }
    running = loop(reason).finally(() => (running = null));
    return running;
  }

  return {
    trigger,
    stop() {
      stopped = true;
      if (timer !== null) clear(timer);
    },
  };
}
