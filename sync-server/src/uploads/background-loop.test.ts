import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBackgroundLoop, type Timers } from './background-loop';

// Timers on a manual clock: nothing fires until the test moves time.
function manualTimers() {
  let t = 0;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set(fn, ms) {
      const id = ++next;
      pending.set(id, { at: t + ms, fn });
      return id;
    },
    clear: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    /** Moves the clock, firing every timer that comes due on the way, in order. */
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        t = due[1].at;
        due[1].fn();
      }
      t = end;
    },
    waiting: () => [...pending.values()].map((p) => p.at - t),
  };
}

/** A pass the test ends by hand, counting starts. */
function manualPasses() {
  const ends: ((e?: Error) => void)[] = [];
  let started = 0;
  return {
    pass: () =>
      new Promise<void>((resolve, reject) => {
        started += 1;
        ends.push((e) => (e ? reject(e) : resolve()));
      }),
    started: () => started,
    /** Ends the oldest running pass and lets the loop schedule the next. */
    async finish(e?: Error) {
      ends.shift()!(e);
      await new Promise((r) => setImmediate(r));
    },
  };
}

function recordingLogger() {
  const lines: { msg: string; err?: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

describe('background loop', () => {
  it('runs the first pass within a second, then one pass an interval after the previous ended', async () => {
    const clock = manualTimers();
    const p = manualPasses();
    const loop = createBackgroundLoop({ pass: p.pass, logger: pino({ level: 'silent' }), name: 'x', timers: clock.timers });
    loop.start(30_000);
    clock.advance(999);
    expect(p.started()).toBe(0);
    clock.advance(1);
    expect(p.started()).toBe(1);
    clock.advance(60_000); // a long pass: no second one meanwhile
    expect(p.started()).toBe(1);
    await p.finish();
    expect(clock.waiting()).toEqual([30_000]);
    clock.advance(29_999);
    expect(p.started()).toBe(1);
    clock.advance(1);
    expect(p.started()).toBe(2);
  });

  it('waits a short interval whole before the first pass', async () => {
    const clock = manualTimers();
    const p = manualPasses();
    createBackgroundLoop({ pass: p.pass, logger: pino({ level: 'silent' }), name: 'x', timers: clock.timers }).start(200);
    expect(clock.waiting()).toEqual([200]);
  });

  it('a kick runs a pass at once; a kick during a pass is dropped and a kick before start does nothing', async () => {
    const clock = manualTimers();
    const p = manualPasses();
    const loop = createBackgroundLoop({ pass: p.pass, logger: pino({ level: 'silent' }), name: 'x', timers: clock.timers });
    loop.kick();
    expect(p.started()).toBe(0);
    loop.start(30_000);
    loop.kick();
    expect(p.started()).toBe(1);
    expect(clock.waiting()).toEqual([]); // the first-pass timer is gone
    loop.kick();
    expect(p.started()).toBe(1);
    await p.finish();
    expect(clock.waiting()).toEqual([30_000]);
  });

  it('logs a failed pass under its name and goes on', async () => {
    const clock = manualTimers();
    const p = manualPasses();
    const log = recordingLogger();
    const loop = createBackgroundLoop({ pass: p.pass, logger: log.logger, name: 'intervals', timers: clock.timers });
    loop.start(5_000);
    clock.advance(1_000);
    await p.finish(new Error('pocketbase down'));
    expect(log.lines).toMatchObject([{ msg: 'intervals: pass failed', err: 'pocketbase down' }]);
    clock.advance(5_000);
    expect(p.started()).toBe(2);
  });

  it('stop waits for the running pass and nothing runs after it', async () => {
    const clock = manualTimers();
    const p = manualPasses();
    const loop = createBackgroundLoop({ pass: p.pass, logger: pino({ level: 'silent' }), name: 'x', timers: clock.timers });
    const running = loop.start(5_000);
    clock.advance(1_000);
    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    await p.finish();
    await stopping;
    expect(clock.waiting()).toEqual([]);
    loop.kick();
    clock.advance(60_000);
    expect(p.started()).toBe(1);
  });
});
