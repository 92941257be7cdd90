/**
 * Serializes GATT operations for one device.
 *
 * Chromium's Web Bluetooth rejects a second GATT operation while one is in flight on the same
 * device ("GATT operation already in progress", NetworkError), and an ATT request cannot be
 * cancelled: the Core Specification (Vol 3, Part F, §3.3) allows one outstanding request per
 * bearer and gives the server 30 s to answer. Some stacks never answer at all, so each operation gets its
 * own deadline; when it passes, the caller gets a typed timeout and the queue moves on rather
 * than stalling every later read and subscription behind a hung one.
 *
 * Timers are injected so tests drive a fake clock and the module keeps no global state.
 */

export interface TimerFunctions<Handle = unknown> {
  setTimeout(callback: () => void, ms: number): Handle;
  clearTimeout(handle: Handle): void;
}

export type GattOperationErrorCode = 'timeout' | 'cancelled';

export class GattOperationError extends Error {
  override readonly name = 'GattOperationError';

  constructor(
    readonly code: GattOperationErrorCode,
    /** The label the caller gave the operation, e.g. 'startNotifications 0x2a37'. */
    readonly operation: string,
    message: string,
  ) {
    super(message);
  }
}

export function isGattOperationError(value: unknown): value is GattOperationError {
  return value instanceof GattOperationError;
}

export interface GattQueue {
  /** Runs `op` once every earlier operation has settled or timed out. */
  run<T>(operation: string, op: () => Promise<T>, timeoutMs?: number): Promise<T>;
  /** Rejects every operation not yet started, e.g. after a disconnect invalidated the objects. */
  cancelPending(reason: string): void;
  /** Operations queued or running. */
  readonly size: number;
}

export interface GattQueueOptions<Handle> {
  timers: TimerFunctions<Handle>;
  /** Deadline for one operation; default 10 s, well under the 30 s ATT transaction timeout. */
  timeoutMs?: number;
}

interface Job {
  operation: string;
  op: () => Promise<unknown>;
  timeoutMs: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createGattQueue<Handle>({ timers, timeoutMs = 10_000 }: GattQueueOptions<Handle>): GattQueue {
  const waiting: Job[] = [];
  let running = false;

  function startNext(): void {
    if (running) return;
    const job = waiting.shift();
    if (job === undefined) return;
    running = true;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(handle);
      running = false;
      outcome();
      startNext();
    };
    const handle = timers.setTimeout(
      () =>
        settle(() =>
          job.reject(
            new GattOperationError('timeout', job.operation, `${job.operation} timed out after ${job.timeoutMs} ms`),
          ),
        ),
      job.timeoutMs,
    );
    // A late answer to a timed-out operation is dropped: its caller has already been told.
    invoke(job.op).then(
      (value) => settle(() => job.resolve(value)),
      (error: unknown) => settle(() => job.reject(error)),
    );
  }

  return {
    run<T>(operation: string, op: () => Promise<T>, ms = timeoutMs): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ operation, op, timeoutMs: ms, resolve: resolve as (value: unknown) => void, reject });
        startNext();
      });
    },
    cancelPending(reason: string): void {
      for (const job of waiting.splice(0)) {
        job.reject(new GattOperationError('cancelled', job.operation, `${job.operation} cancelled: ${reason}`));
      }
    },
    get size() {
      return waiting.length + (running ? 1 : 0);
    },
  };
}

function invoke(op: () => Promise<unknown>): Promise<unknown> {
  try {
    return Promise.resolve(op());
  } catch (error) {
    return Promise.reject(error);
  }
}
