/**
 * What the live workout screen says about heart rate, apart from the phase: the HR zone's label
 * (never the phase's: "Rest" is a phase, a heart rate below zone 1 is "Below zone 1"), the
 * percentage of HRmax, and the live graph's points, decimated to the pixels that draw them.
 * Pure: time and readings are parameters.
 */
import type { Zone } from './zones';

/** "Zone 3 · Aerobic"; below zone 1 "Below zone 1" (the pseudo-zone 0 is not a training zone). */
export function liveZoneLabel(zone: Pick<Zone, 'number' | 'name'>): string {
  return zone.number === 0 ? 'Below zone 1' : `Zone ${zone.number} · ${zone.name}`;
}

/** Whole percent of HRmax, as shown ("82 % max"); null without a usable HRmax. */
export function percentOfMaxLabel(bpm: number, maxHr: number): string | null {
  if (!(maxHr > 0) || !(bpm > 0)) return null;
  return `${Math.round((bpm / maxHr) * 100)} % max`;
}

export interface GraphPoint {
  t: number;
  bpm: number;
}

export interface GraphGap {
  from: number;
  /** null while open. */
  to: number | null;
}

/** One unbroken run of the line, in drawing order. */
export type GraphSegment = GraphPoint[];

export interface GraphScale {
  lo: number;
  hi: number;
}

/**
 * The y range: at least [50 % … 100 %] of HRmax (the zone bands), widened to the readings in the
 * window with 5 bpm of room, on 10 bpm steps.
 */
export function graphScale(points: readonly GraphPoint[], from: number, maxHr: number): GraphScale {
  let lo = 0.5 * maxHr;
  let hi = maxHr;
  for (const p of points) {
    if (p.t < from) continue;
    if (p.bpm < lo) lo = p.bpm;
    if (p.bpm > hi) hi = p.bpm;
  }
  return { lo: Math.max(30, Math.floor((lo - 5) / 10) * 10), hi: Math.ceil((hi + 5) / 10) * 10 };
}

/**
 * The line of the last `windowMs` before `now`, cut into segments at every gap and at any silence
 * longer than `maxSilenceMs` (a line never bridges missing data), with at most two points (the
 * lowest and highest, in time order) per column of `columns` across the window, so drawing costs
 * O(width) whatever the notification rate. Points are oldest first, as ReadingHistory holds them.
 */
export function graphSegments(
  points: readonly GraphPoint[],
  gaps: readonly GraphGap[],
  now: number,
  windowMs: number,
  columns: number,
  maxSilenceMs = 5_000,
): GraphSegment[] {
  const from = now - windowMs;
  const cols = Math.max(1, Math.floor(columns));
  const colOf = (t: number) => Math.min(cols - 1, Math.floor(((t - from) / windowMs) * cols));
  // A gap that began after one reading and by the next breaks the line between them.
  const inGap = (a: number, b: number) => gaps.some((g) => g.from > a && g.from <= b);
  const segments: GraphSegment[] = [];
  let segment: GraphSegment = [];
  let col = -1;
  let colMin: GraphPoint | null = null;
  let colMax: GraphPoint | null = null;
  let prev: GraphPoint | null = null;

  const flushColumn = () => {
    if (!colMin || !colMax) return;
    if (colMin === colMax) segment.push(colMin);
    else if (colMin.t <= colMax.t) segment.push(colMin, colMax);
    else segment.push(colMax, colMin);
    colMin = colMax = null;
  };
  const closeSegment = () => {
    flushColumn();
    if (segment.length > 0) segments.push(segment);
    segment = [];
  };

  for (const p of points) {
    if (p.t < from || p.t > now) continue;
    if (prev && (p.t - prev.t > maxSilenceMs || inGap(prev.t, p.t))) closeSegment();
    const c = colOf(p.t);
    if (c !== col) {
      flushColumn();
      col = c;
    }
    if (!colMin || p.bpm < colMin.bpm) colMin = p;
    if (!colMax || p.bpm > colMax.bpm) colMax = p;
    prev = p;
  }
  closeSegment();
  return segments;
}
