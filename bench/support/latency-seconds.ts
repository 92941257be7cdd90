/**
 * Where a fan-out bench's latency accrues, second by second: each delivered frame is put in
 * the server probe's second (bench/support/loop-probe.mjs) in which it was sent, beside the
 * server's event-loop delay and GC pauses of that second and the load generator's own
 * event-loop delay (startLoopSampler, in the bench process). A latency spike that lines up with
 * a server stall is the server's; one that lines up with a generator stall is the bench's.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { probeLines } from './probe-figures';

export interface LoopSample {
  t: number;
  eldMaxMs: number;
  /** The load generator's own collections in that second: how many, their pauses and longest pause (ms), mark-compacts. */
  gcs: number;
  gcPauseMs: number;
  gcMaxPauseMs: number;
  majorGcs: number;
}

/** Milliseconds to one decimal. */
const r = (x: number) => Math.round(x * 10) / 10;

/**
 * The generator's collections in the samples whose second overlaps one of `windows` ([start,
 * end] Date.now ms; a sample at t covers the second before t), so up to a second either side.
 */
export function generatorGcIn(samples: readonly LoopSample[], windows: ReadonlyArray<readonly [number, number]>) {
  const inside = samples.filter((g) => windows.some(([w0, w1]) => g.t > w0 && g.t <= w1 + 1000));
  return {
    count: inside.reduce((n, g) => n + g.gcs, 0),
    pauseMs: r(inside.reduce((n, g) => n + g.gcPauseMs, 0)),
    maxPauseMs: inside.reduce((m, g) => Math.max(m, g.gcMaxPauseMs), 0),
    majorCount: inside.reduce((n, g) => n + g.majorGcs, 0),
  };
}

/**
 * Samples this process's event-loop delay and garbage collections once a second (the load
 * generator's own stalls: a mark-compact of its heap, which holds every window frame, stalls
 * every frame it receives meanwhile, whichever server sent it).
 */
export function startLoopSampler() {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const samples: LoopSample[] = [];
  let second = { n: 0, ms: 0, maxMs: 0, majorN: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      second.n++;
      second.ms += e.duration;
      second.maxMs = Math.max(second.maxMs, e.duration);
      if (((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0) & constants.NODE_PERFORMANCE_GC_MAJOR) second.majorN++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    samples.push({ t: Date.now(), eldMaxMs: Math.round(h.max / 1e5) / 10, gcs: second.n, gcPauseMs: r(second.ms), gcMaxPauseMs: r(second.maxMs), majorGcs: second.majorN });
    h.reset();
    second = { n: 0, ms: 0, maxMs: 0, majorN: 0 };
  }, 1000);
  return {
    samples: () => samples,
    stop() {
      clearInterval(timer);
      observer.disconnect();
      h.disable();
    },
  };
}

export interface SecondRow {
  /** End of the server probe's second (Date.now ms). */
  t: number;
  frames: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  serverEldMaxMs: number;
  serverGcMaxPauseMs: number;
  serverMajorGcs: number;
  generatorEldMaxMs: number;
  generatorGcMaxPauseMs: number;
  generatorMajorGcs: number;
}

/** A second in which the load generator's event-loop delay max stayed at or under this is calm. */
const CALM_GENERATOR_ELD_MS = 20;

const pearson = (xs: number[], ys: number[]) => {
  const n = xs.length;
  if (n < 3) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return Number((sxy / Math.sqrt(sxx * syy)).toFixed(2));
};

/**
 * `frames`: [send time on performance.now(), latency ms]. Returns the `worst` seconds by
 * latency max and how the per-second latency max correlates with the server's and the
 * generator's per-second event-loop delay max.
 */
export function latencyBySecond(frames: ReadonlyArray<[number, number]>, serverOutput: string, generator: readonly LoopSample[], worst = 5) {
  const lines = probeLines(serverOutput);
  if (lines.length === 0 || frames.length === 0) return null;
  const buckets = new Map<number, number[]>();
  for (const [at, latency] of frames) {
    const wall = performance.timeOrigin + at;
    // The probe line whose second holds the send: the first with t ≥ wall.
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]!.t < wall) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= lines.length) continue;
    let b = buckets.get(lo);
    if (!b) buckets.set(lo, (b = []));
    b.push(latency);
  }
  // The frames of seconds with and without a GC pause of the server, pooled: whether the
  // collector or something else makes the p99.
  const withGc: number[] = [];
  const withoutGc: number[] = [];
  for (const [i, ls] of buckets) (lines[i]!.gc.n > 0 ? withGc : withoutGc).push(...ls);
  const p99 = (ls: number[]) => (ls.length ? Math.round(10 * ls.sort((a, b) => a - b)[Math.min(ls.length - 1, Math.floor(0.99 * ls.length))]!) / 10 : null);
  const seconds = [...buckets].sort(([a], [b]) => a - b);
  const rows: SecondRow[] = seconds.map(([i, ls]) => {
    const line = lines[i]!;
    ls.sort((a, b) => a - b);
    const gen = generator.filter((g) => g.t > line.t - 1000 && g.t <= line.t + 1000);
    return {
      t: line.t,
      frames: ls.length,
      latencyP99Ms: Math.round(ls[Math.min(ls.length - 1, Math.floor(0.99 * ls.length))]!),
      latencyMaxMs: Math.round(ls.at(-1)!),
      serverEldMaxMs: line.eld.max,
      serverGcMaxPauseMs: line.gc.maxMs,
      serverMajorGcs: line.gc.majorN,
      generatorEldMaxMs: gen.length ? Math.max(...gen.map((g) => g.eldMaxMs)) : NaN,
      generatorGcMaxPauseMs: gen.length ? Math.max(...gen.map((g) => g.gcMaxPauseMs)) : NaN,
      generatorMajorGcs: gen.reduce((n, g) => n + g.majorGcs, 0),
    };
  });
  const full = rows.filter((r) => Number.isFinite(r.generatorEldMaxMs));
  // The load generator both sends and receives the frames: when it stalls, every frame it
  // receives meanwhile is late on its clock whatever the server did. The seconds in which its
  // own event loop stayed under CALM_GENERATOR_ELD_MS, pooled, are what the server alone did.
  const calm: number[] = [];
  let calmSeconds = 0;
  seconds.forEach(([, ls], k) => {
    const row = rows[k]!;
    if (Number.isFinite(row.generatorEldMaxMs) && row.generatorEldMaxMs <= CALM_GENERATOR_ELD_MS) {
      calm.push(...ls);
      calmSeconds += 1;
    }
  });
  return {
    seconds: rows.length,
    /** p99 latency over the frames sent in seconds with a server GC pause, and in the others. */
    p99BySecondsWithServerGc: { withGc: { frames: withGc.length, p99Ms: p99(withGc) }, withoutGc: { frames: withoutGc.length, p99Ms: p99(withoutGc) } },
    /** p99 latency over the seconds in which the load generator did not stall (see above). */
    p99InCalmGeneratorSeconds: { generatorEldMaxMs: CALM_GENERATOR_ELD_MS, seconds: calmSeconds, frames: calm.length, p99Ms: p99(calm) },
    correlationOfLatencyMaxWith: {
      serverEventLoopDelayMax: pearson(full.map((r) => r.latencyMaxMs), full.map((r) => r.serverEldMaxMs)),
      serverGcMaxPause: pearson(full.map((r) => r.latencyMaxMs), full.map((r) => r.serverGcMaxPauseMs)),
      generatorEventLoopDelayMax: pearson(full.map((r) => r.latencyMaxMs), full.map((r) => r.generatorEldMaxMs)),
    },
    worstSeconds: [...rows].sort((a, b) => b.latencyMaxMs - a.latencyMaxMs).slice(0, worst),
    /** Each second of the window in order: its p99 latency and the server's event-loop delay max (ms). */
    inOrder: { latencyP99Ms: rows.map((r) => r.latencyP99Ms), serverEldMaxMs: rows.map((r) => Math.round(r.serverEldMaxMs)) },
  };
}
