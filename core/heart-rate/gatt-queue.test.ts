import { describe, expect, it } from 'vitest';
import { GattOperationError, createGattQueue, isGattOperationError, type TimerFunctions } from './gatt-queue';

/** A manual clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: TimerFunctions<number> = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
  };
  async function advance(ms: number): Promise<void> {
    const until = now + ms;
    for (;;) {
      await flush();
      const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].callback();
    }
    now = until;
    await flush();
  }
  return { timers, advance, get active() { return pending.size; } };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createGattQueue', () => {
  it('runs one operation at a time, in order', async () => {
    const clock = fakeTimers();
    const queue = createGattQueue({ timers: clock.timers });
    const log: string[] = [];
    const first = deferred<string>();
    const a = queue.run('a', () => {
      log.push('start a');
      return first.promise;
    });
    const b = queue.run('b', async () => {
      log.push('start b');
      return 'b';
    });
    await flush();
    expect(log).toEqual(['start a']);
    expect(queue.size).toBe(2);
    first.resolve('a');
    expect(await a).toBe('a');
    expect(await b).toBe('b');
    expect(log).toEqual(['start a', 'start b']);
    expect(queue.size).toBe(0);
    expect(clock.active).toBe(0);
  });

  it('passes an operation failure through and moves on', async () => {
    const clock = fakeTimers();
    const queue = createGattQueue({ timers: clock.timers });
    const failing = queue.run('read', () => Promise.reject(new Error('NetworkError')));
    const throwing = queue.run('sync throw', () => {
      throw new Error('InvalidStateError');
    });
    const next = queue.run('next', async () => 42);
    await expect(failing).rejects.toThrow('NetworkError');
    await expect(throwing).rejects.toThrow('InvalidStateError');
    expect(await next).toBe(42);
  });

  it('rejects a hung operation with a typed timeout and starts the next', async () => {
    const clock = fakeTimers();
    const queue = createGattQueue({ timers: clock.timers, timeoutMs: 5_000 });
    const hung = queue.run('connect', () => new Promise<never>(() => {}));
    const caught = hung.catch((error: unknown) => error);
    let started = false;
    const next = queue.run('startNotifications', async () => {
      started = true;
      return 'ok';
    });
    await clock.advance(4_999);
    expect(started).toBe(false);
    await clock.advance(1);
    const error = await caught;
    expect(isGattOperationError(error)).toBe(true);
    expect(error).toBeInstanceOf(GattOperationError);
    expect((error as GattOperationError).code).toBe('timeout');
    expect((error as GattOperationError).operation).toBe('connect');
    expect(await next).toBe('ok');
  });

  it('honours a per-operation timeout and ignores a late answer', async () => {
    const clock = fakeTimers();
    const queue = createGattQueue({ timers: clock.timers, timeoutMs: 10_000 });
    const late = deferred<string>();
    const result = queue.run('read 0x2a38', () => late.promise, 1_000).catch((e: GattOperationError) => e.code);
    await clock.advance(1_000);
    expect(await result).toBe('timeout');
    late.resolve('too late');
    await flush();
    expect(queue.size).toBe(0);
  });

  it('cancels operations not yet started', async () => {
    const clock = fakeTimers();
    const queue = createGattQueue({ timers: clock.timers });
    const running = deferred<string>();
    const first = queue.run('first', () => running.promise);
    const second = queue.run('second', async () => 'never').catch((e: GattOperationError) => e.code);
    queue.cancelPending('disconnected');
    expect(await second).toBe('cancelled');
    running.resolve('done');
    expect(await first).toBe('done');
  });
});
