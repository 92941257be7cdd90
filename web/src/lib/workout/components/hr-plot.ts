/**
 * Geometry the two heart-rate canvases share (the live workout's LiveHrGraph and the strap
 * page's HeartRateChart): backing-store size, the time/bpm → pixel mapping, zone band edges, gap
 * spans and their hatching. No DOM: the canvas and its 2D context are passed in as the few
 * members used, so this is testable with plain objects.
 *
 * LiveHrGraph paints on the notification → paint hot path (bench/notification-to-paint.bench.ts):
 * nothing here allocates per paint. A PlotFrame is made once per component and re-aimed with
 * `set` before each paint; the other helpers return numbers.
 */
import { ZONE_FRACTIONS } from '$core/workout/zones';

/** The members of a path-building context the hatching uses (CanvasRenderingContext2D has them). */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/**
 * Sizes a canvas's backing store to its CSS box at `dpr`, only when it differs (a write clears
 * the canvas and costs a reallocation). Returns false for an empty box: nothing to paint.
 */
export function fitBacking(canvas: { width: number; height: number }, width: number, height: number, dpr: number): boolean {
  if (width === 0 || height === 0) return false;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  return true;
}

/** The plot rectangle, and the mapping of [t0, t0 + windowMs] × [lo, hi] onto it. */
export class PlotFrame {
  left = 0;
  right = 0;
  top = 0;
  bottom = 0;
  private t0 = 0;
  private windowMs = 1;
  private lo = 0;
  private hi = 1;

  set(box: { left: number; right: number; top: number; bottom: number }, t0: number, windowMs: number, lo: number, hi: number): this {
    this.left = box.left;
    this.right = box.right;
    this.top = box.top;
    this.bottom = box.bottom;
    this.t0 = t0;
    this.windowMs = windowMs;
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  x(t: number): number {
    return this.left + ((t - this.t0) / this.windowMs) * (this.right - this.left);
  }

  y(bpm: number): number {
    return this.bottom - ((bpm - this.lo) / (this.hi - this.lo)) * (this.bottom - this.top);
  }
}

/** The members of a 2D context the zone bands use (CanvasRenderingContext2D has them). */
export interface BandSink {
  globalAlpha: number;
  fillStyle: unknown;
  fillRect(x: number, y: number, w: number, h: number): void;
}

/**
 * The five zone bands across the plot, each `colors[i]` at `alpha`, clipped to [lo, hi]; leaves
 * globalAlpha at 1. The bands are faint: each zone is also named in text (colour is never the
 * only cue).
 */
export function paintZoneBands(sink: BandSink, frame: PlotFrame, lo: number, hi: number, maxHr: number, colors: readonly string[], alpha: number): void {
  for (let i = 0; i < 5; i++) {
    const from = zoneBandFrom(i, lo, maxHr);
    const to = zoneBandTo(i, hi, maxHr);
    if (to <= from) continue;
    sink.globalAlpha = alpha;
    sink.fillStyle = colors[i]!;
    sink.fillRect(frame.left, frame.y(to), frame.right - frame.left, frame.y(from) - frame.y(to));
  }
  sink.globalAlpha = 1;
}

/** Zone `i` (0…4) starts at this bpm, clipped to the scale's `lo`. */
export const zoneBandFrom = (i: number, lo: number, maxHr: number): number => Math.max(lo, ZONE_FRACTIONS[i]! * maxHr);

/** … and ends here, clipped to `hi`; the top zone runs to `hi`. A band with to ≤ from is not drawn. */
export const zoneBandTo = (i: number, hi: number, maxHr: number): number => (i === 4 ? hi : Math.min(hi, ZONE_FRACTIONS[i + 1]! * maxHr));

/** The left pixel of a gap from `from`, clipped to the plot. */
export const gapLeft = (frame: PlotFrame, from: number): number => Math.max(frame.left, frame.x(from));

/**
 * The right pixel of a gap starting at pixel `gx0` and ending at `to` (an open gap ends `now`),
 * at least 2 px wide so a short one stays visible, clipped to the plot. Not drawn when ≤ gx0.
 */
export const gapRight = (frame: PlotFrame, gx0: number, to: number | null, now: number): number => Math.min(frame.right, Math.max(frame.x(to ?? now), gx0 + 2));

/** Diagonal hatching lines across [gx0, gx1] × [top, bottom], `spacing` px apart (clip to the span). */
export function hatch(sink: PathSink, frame: PlotFrame, gx0: number, gx1: number, spacing: number): void {
  const h = frame.bottom - frame.top;
  for (let hx = gx0 - h; hx < gx1; hx += spacing) {
    sink.moveTo(hx, frame.bottom);
    sink.lineTo(hx + h, frame.top);
  }
}
