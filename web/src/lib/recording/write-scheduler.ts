/**
 * When the recorder starts the write of a reading that just arrived. The notification that
 * carries a heart rate also updates the live screen; an IndexedDB transaction started in the same
 * task (Dexie's promise machinery, the codec, structured-cloning the rows, the commit's callbacks)
 * competes with that screen's frame. So in a page the write waits until the frame that shows the
 * reading has been produced: `requestAnimationFrame`, then a task after it. It never waits longer
 * than `maxDelayMs` (a page that gets no frames, e.g. an occluded window), and a hidden page
 * (nothing to paint, and the last moment Chrome guarantees before a kill) writes at once.
 *
 * The durability bound (recorder.ts) becomes: a reading is being written within one frame, at most
 * `maxDelayMs`, of its arrival, well inside "a crash loses at most the last second".
 */
export type WriteScheduler = (write: () => void) => void;

/** Write at once (tests, Node): the reading's write starts in the task that received it. */
export const writeAtOnce: WriteScheduler = (write) => write();

/** The longest a reading's write waits for the frame. */
export const AFTER_PAINT_MAX_DELAY_MS = 100;

interface PaintWindow {
  document?: { visibilityState?: DocumentVisibilityState };
  requestAnimationFrame?: (cb: FrameRequestCallback) => number;
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
}

export function afterPaint(win: PaintWindow | undefined = globalThis as unknown as PaintWindow, maxDelayMs = AFTER_PAINT_MAX_DELAY_MS): WriteScheduler {
  if (!win?.requestAnimationFrame) return writeAtOnce;
  return (write) => {
    if (win.document?.visibilityState === 'hidden') return write();
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      win.clearTimeout(fallback);
      write();
    };
    const fallback = win.setTimeout(run, maxDelayMs);
    // The rAF callback runs just before the frame's style, layout and paint; the task after it
    // runs once that frame has been handed to the compositor.
    win.requestAnimationFrame!(() => win.setTimeout(run, 0));
  };
}
