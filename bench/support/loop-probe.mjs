/**
 * A probe preloaded into a benchmarked server process (`node --import ./bench/support/loop-probe.mjs …`;
 * plain JS so it loads before tsx). Once a second it writes one line to stderr:
 *   @@probe {"t":<Date.now()>,"eld":{p50,p99,max},"gc":{n,ms,maxMs,majorN,majorMs},"heapMb","rssMb"}
 * with the event-loop delay (perf_hooks.monitorEventLoopDelay, ms) and the garbage collections
 * (PerformanceObserver 'gc' entries: count, total pause, longest pause, and mark-compacts) of
 * that second, and the heap in use and the RSS at its end. bench/support/probe-figures.ts reads
 * the lines of a measured window. It costs the process about nothing (one histogram, one
 * observer, one timer).
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
let gc = { n: 0, ms: 0, maxMs: 0, majorN: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (process.env.PROBE_GC_EVENTS) process.stderr.write(`@@gcevent ${JSON.stringify({ t: performance.timeOrigin + e.startTime, ms: e.duration, kind: e.detail?.kind ?? 0 })}\n`);
    gc.n++;
    gc.ms += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
    if ((e.detail?.kind ?? 0) & constants.NODE_PERFORMANCE_GC_MAJOR) {
      gc.majorN++;
      gc.majorMs += e.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });

const r = (x) => Math.round(x * 10) / 10;
setInterval(() => {
  const m = process.memoryUsage();
  const line = {
    t: Date.now(),
    eld: { p50: r(eld.percentile(50) / 1e6), p99: r(eld.percentile(99) / 1e6), max: r(eld.max / 1e6) },
    gc: { n: gc.n, ms: r(gc.ms), maxMs: r(gc.maxMs), majorN: gc.majorN, majorMs: r(gc.majorMs) },
    heapMb: Math.round(m.heapUsed / 2 ** 20),
    rssMb: Math.round(m.rss / 2 ** 20),
  };
  eld.reset();
  gc = { n: 0, ms: 0, maxMs: 0, majorN: 0, majorMs: 0 };
  process.stderr.write(`@@probe ${JSON.stringify(line)}\n`);
}, 1000).unref();
