/**
 * Reading a chart by pointer: mouse hover, and touch or pen press-and-drag (a tap shows one
 * value). Every history chart uses these handlers next to its own arrow-key handling.
 *
 * - Mouse: the readout follows the pointer and goes when it leaves the chart.
 * - Touch and pen: the readout follows the finger while it is down (the pointer is captured, so
 *   a drag past the edge keeps reading the last column) and stays after lifting, to be read;
 *   it goes on blur like the keyboard's. The chart's CSS says `touch-action: pan-y`, so a
 *   vertical swipe still scrolls the page (the browser then sends pointercancel).
 */

export interface ScrubTarget {
  /**
   * The index under a client x, from the chart's own layout: null outside the plot, or, with
   * `clamp` (a captured finger or pen past the edge), the nearest index.
   */
  indexAt(clientX: number, rect: DOMRect, clamp: boolean): number | null;
  set(index: number | null): void;
}

export interface ScrubHandlers {
  onpointerdown(e: PointerEvent): void;
  onpointermove(e: PointerEvent): void;
  onpointerleave(e: PointerEvent): void;
}

export function scrubHandlers(target: ScrubTarget): ScrubHandlers {
  const at = (e: PointerEvent) => target.set(target.indexAt(e.clientX, (e.currentTarget as Element).getBoundingClientRect(), e.pointerType !== 'mouse'));
  return {
    onpointerdown(e) {
      if (e.pointerType !== 'mouse') {
        const el = e.currentTarget as Element;
        // Focus moves to the chart as with a click, so the keys continue from here.
        if (el instanceof HTMLElement) el.focus({ preventScroll: true });
        try {
          el.setPointerCapture(e.pointerId);
        } catch {
          // Already released (a very short tap): the value is still shown.
        }
      }
      at(e);
    },
    onpointermove(e) {
      // A hovering pen moves without pressing: only a pressed pen or finger scrubs.
      if (e.pointerType !== 'mouse' && e.buttons === 0) return;
      at(e);
    },
    onpointerleave(e) {
      if (e.pointerType === 'mouse') target.set(null);
    },
  };
}
