import type { Logger } from 'pino';

/**
 * The background loop of one provider's queue in this process (issue 16): a pass, then a pause of
 * `intervalMs`, then the next pass. Passes never overlap; a failed pass is logged and the loop goes
 * on. `kick` starts a pass now (a member's click, a reconnect) instead of at the next tick; while
 * a pass runs a kick is dropped, since that pass or the next picks the work up. `stop` waits for
 * the running pass so a shutdown never cuts one in half.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const NODE_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The first pass comes soon after start, not a whole interval later. */
const FIRST_PASS_MAX_MS = 1_000;

export interface BackgroundLoopDeps {
  pass: () => Promise<void>;
  logger: Logger;
  /** Names the loop in the log line of a failed pass ("strava uploads", "intervals"). */
  name: string;
  timers?: Timers;
}

export function createBackgroundLoop(deps: BackgroundLoopDeps) {
  const timers = deps.timers ?? NODE_TIMERS;
  // The kick of the latest start (none before start: a click before the loop runs waits for it).
  let kickLatest: (() => void) | null = null;

  return {
    kick(): void {
      kickLatest?.();
    },

    start(intervalMs: number): { stop(): Promise<void> } {
      let stopped = false;
      let running: Promise<void> | null = null;
      let timer: unknown = null;
      const tick = () => {
        if (stopped || running) return;
        running = deps
          .pass()
          .catch((e: Error) => deps.logger.warn({ err: e.message }, `${deps.name}: pass failed`))
          .finally(() => {
            running = null;
            if (!stopped) timer = timers.set(tick, intervalMs);
          });
      };
      kickLatest = () => {
        if (timer) timers.clear(timer);
        timer = null;
        tick();
      };
      timer = timers.set(tick, Math.min(intervalMs, FIRST_PASS_MAX_MS));
      return {
        async stop() {
          stopped = true;
          if (timer) timers.clear(timer);
          await running;
        },
      };
    },
  };
}

export type BackgroundLoop = ReturnType<typeof createBackgroundLoop>;
