/**
 * How long the browser's rendering threads waited for a CPU (Linux /proc schedstat: the second
 * field, time spent runnable on a run queue, ns), polled from this process every few ms. A frame
 * that came late while one of these threads was waiting for a core was descheduled by a busy
 * machine, not slowed by the page's own work. Threads: every descendant process of this one
 * (the Chromium it launched) whose thread is a renderer main thread, a compositor, or the GPU
 * process's main or display-compositor thread.
 */
import { readdirSync, readFileSync } from 'node:fs';

const WATCHED = /^(CrRendererMain|Compositor|CrGpuMain|VizCompositorTh)/;

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [pid, pp] of parent) if (pp === p) (out.push(pid), walk(pid));
  };
  walk(root);
  return out;
}

function watchedThreads(): string[] {
  const files: string[] = [];
  for (const pid of descendants(process.pid)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        if (WATCHED.test(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'))) files.push(`/proc/${pid}/task/${tid}/schedstat`);
      } catch {
        // gone
      }
    }
  }
  return files;
}

export interface RunQueueProbe {
  /** Run-queue wait (ms, summed over the watched threads) between two wall times (Date.now ms). */
  waitBetween(from: number, to: number): number;
  threads: number;
  stop(): void;
}

export function watchRunQueue(everyMs = 4): RunQueueProbe {
  const files = watchedThreads();
  const times: number[] = [];
  const waits: number[] = [];
  const read = () => {
    let ns = 0;
    for (const f of files) {
      try {
        ns += Number(readFileSync(f, 'utf8').split(' ')[1]);
      } catch {
        // thread gone
      }
    }
    times.push(Date.now());
    waits.push(ns / 1e6);
  };
  read();
  const timer = setInterval(read, everyMs);
  /** Cumulative wait at the last poll at or before `t`. */
  const at = (t: number) => {
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return waits[lo]!;
  };
  return {
    threads: files.length,
    // Widened by one poll each side: the window's wait is never under-counted.
    waitBetween: (from, to) => at(to + everyMs) - at(from - everyMs),
    stop: () => clearInterval(timer),
  };
}
