/**
 * Reads bench/support/loop-probe.mjs's once-a-second lines out of a server's output and sums
 * up those of the measured windows [from, to] (Date.now() ms): event-loop delay (the worst
 * second's p99 and the longest delay), garbage collection (count, total pause and its share
 * of the window, longest pause, mark-compacts) and the heap (in use at the end, the most).
 */
import { fileURLToPath } from 'node:url';

/** The node flag that preloads the probe into a server process. */
export const loopProbeArgs = ['--import', fileURLToPath(new URL('./loop-probe.mjs', import.meta.url))];

interface ProbeLine {
  t: number;
  eld: { p50: number; p99: number; max: number };
  gc: { n: number; ms: number; maxMs: number; majorN: number; majorMs: number };
  heapMb: number;
  rssMb: number;
}

export interface ProbeFigures {
  seconds: number;
  eventLoopDelayMs: { worstSecondP99: number; medianSecondP99: number; max: number; secondsOver50ms: number };
  gc: { count: number; pauseMs: number; pausePercentOfWall: number; maxPauseMs: number; majorCount: number; majorPauseMs: number };
  heapUsedMb: { end: number; max: number };
}

export function probeLines(output: string): ProbeLine[] {
  const lines: ProbeLine[] = [];
  for (const l of output.split('\n')) {
    const i = l.indexOf('@@probe ');
    if (i >= 0) lines.push(JSON.parse(l.slice(i + 8)) as ProbeLine);
  }
  return lines;
}

export function probeFigures(output: string, windows: ReadonlyArray<readonly [from: number, to: number]>): ProbeFigures | null {
  // A line covers the second before its t.
  const w = probeLines(output).filter((l) => windows.some(([from, to]) => l.t > from + 500 && l.t <= to + 500));
  if (w.length === 0) return null;
  const p99s = w.map((l) => l.eld.p99).sort((a, b) => a - b);
  const sum = (f: (l: ProbeLine) => number) => w.reduce((s, l) => s + f(l), 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  const pauseMs = sum((l) => l.gc.ms);
  return {
    seconds: w.length,
    eventLoopDelayMs: {
      worstSecondP99: p99s.at(-1)!,
      medianSecondP99: p99s[Math.floor(p99s.length / 2)]!,
      max: Math.max(...w.map((l) => l.eld.max)),
      secondsOver50ms: w.filter((l) => l.eld.max > 50).length,
    },
    gc: {
      count: sum((l) => l.gc.n),
      pauseMs: r(pauseMs),
      pausePercentOfWall: r((100 * pauseMs) / (w.length * 1000)),
      maxPauseMs: Math.max(...w.map((l) => l.gc.maxMs)),
      majorCount: sum((l) => l.gc.majorN),
      majorPauseMs: r(sum((l) => l.gc.majorMs)),
    },
    heapUsedMb: { end: w.at(-1)!.heapMb, max: Math.max(...w.map((l) => l.heapMb)) },
  };
}
