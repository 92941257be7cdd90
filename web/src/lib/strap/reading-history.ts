/**
 * The last few minutes of heart rate for the live chart: valid readings as points, and gaps as
 * spans (never bridged by a line). Fed with StrapEvents; no IO, no reactivity.
 */
import type { GapReason, StrapEvent } from '$core/heart-rate';

export interface HistoryPoint {
  t: number;
  bpm: number;
}

export interface HistoryGap {
  from: number;
  /** null while the gap is still open. */
  to: number | null;
  reason: GapReason;
}

export const HISTORY_WINDOW_MS = 5 * 60_000;

export class ReadingHistory {
  readonly windowMs: number;
  /** Oldest first. Read-only to callers. */
  readonly points: HistoryPoint[] = [];
  readonly gaps: HistoryGap[] = [];
  /** Gaps seen since the history was made, including ones that scrolled out of the window. */
  gapTotal = 0;
  /** Bumped on every change, so a drawer can tell whether anything is new. */
  version = 0;

  constructor(windowMs = HISTORY_WINDOW_MS) {
    this.windowMs = windowMs;
  }

  get openGap(): HistoryGap | null {
    const last = this.gaps.at(-1);
    return last && last.to === null ? last : null;
  }

  apply(event: StrapEvent): void {
    switch (event.type) {
      case 'reading': {
        const { t, bpm, contact } = event.reading;
        // 0 bpm and "no skin contact" are not heart rates (HRS 1.0 §3.1): the gap shows them.
        if (bpm > 0 && contact !== 'not-detected') this.points.push({ t, bpm });
        this.prune(t);
        break;
      }
      case 'gap-start':
        if (this.openGap === null) {
          this.gaps.push({ from: event.at, to: null, reason: event.reason });
          this.gapTotal += 1;
        }
        this.prune(event.at);
        break;
      case 'gap-end': {
        const open = this.openGap;
        if (open) open.to = event.at;
        break;
      }
    }
    this.version += 1;
  }

  clear(): void {
    this.points.length = 0;
    this.gaps.length = 0;
    this.gapTotal = 0;
    this.version += 1;
  }

  /** Drops what is older than the window before `now`. */
  prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.points.length && this.points[drop]!.t < cutoff) drop++;
    if (drop > 0) this.points.splice(0, drop);
    let dropGaps = 0;
    while (dropGaps < this.gaps.length && this.gaps[dropGaps]!.to !== null && this.gaps[dropGaps]!.to! < cutoff) dropGaps++;
    if (dropGaps > 0) this.gaps.splice(0, dropGaps);
  }
}
