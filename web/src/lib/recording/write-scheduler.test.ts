import { describe, expect, it } from 'vitest';
import { afterPaint, AFTER_PAINT_MAX_DELAY_MS, writeAtOnce } from './write-scheduler';

/** A window whose frames and timers run only when the test says so. */
function fakeWindow(visibility: DocumentVisibilityState = 'visible') {
  let now = 0;
  const frames: FrameRequestCallback[] = [];
  const timers = new Map<number, { at: number; fn: () => void }>();
  let id = 0;
  const win = {
    document: { visibilityState: visibility },
    requestAnimationFrame: (cb: FrameRequestCallback) => frames.push(cb),
    setTimeout: ((fn: () => void, ms = 0) => {
      timers.set(++id, { at: now + ms, fn });
      return id;
    }) as unknown as typeof setTimeout,
    clearTimeout: ((h: number) => void timers.delete(h)) as unknown as typeof clearTimeout,
  };
  const runTimers = () => {
    for (const [k, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > now || !timers.has(k)) continue;
      timers.delete(k);
      t.fn();
    }
  };
  return {
    win,
    /** The browser produces a frame (rAF callbacks), then runs due tasks. */
    frame() {
      for (const cb of frames.splice(0)) cb(now);
      runTimers();
    },
    advance(ms: number) {
      now += ms;
      runTimers();
    },
  };
}

describe('write scheduler', () => {
  it('writeAtOnce writes in the calling task', () => {
    let n = 0;
    writeAtOnce(() => n++);
    expect(n).toBe(1);
  });

  it('afterPaint writes in a task after the next frame, once', () => {
    const w = fakeWindow();
    let n = 0;
    afterPaint(w.win)(() => n++);
    expect(n).toBe(0);
    w.frame();
    expect(n).toBe(1);
    // The fallback timer does not write a second time.
    w.advance(AFTER_PAINT_MAX_DELAY_MS * 2);
    expect(n).toBe(1);
  });

  it('afterPaint never waits longer than its bound for a frame that does not come', () => {
    const w = fakeWindow();
    let n = 0;
    afterPaint(w.win)(() => n++);
    w.advance(AFTER_PAINT_MAX_DELAY_MS - 1);
    expect(n).toBe(0);
    w.advance(1);
    expect(n).toBe(1);
    w.frame();
    expect(n).toBe(1);
  });

  it('a hidden page writes at once (no frame to wait for)', () => {
    const w = fakeWindow('hidden');
    let n = 0;
    afterPaint(w.win)(() => n++);
    expect(n).toBe(1);
  });

  it('without requestAnimationFrame (Node) it writes at once', () => {
    let n = 0;
    afterPaint(undefined)(() => n++);
    expect(n).toBe(1);
  });
});
