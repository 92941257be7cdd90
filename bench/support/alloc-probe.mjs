/**
 * An allocation profile of a benchmarked server over the measured window (issue 14): preloaded
 * with `node --import ./bench/support/alloc-probe.mjs …` and ALLOC_PROF_DIR set, it starts V8's
 * sampling heap profiler on the first SIGUSR2 and, on the second, writes
 * `<ALLOC_PROF_DIR>/alloc-<pid>.heapprofile` (open it in Chrome DevTools' Memory tab, or sum it
 * up with bench/support/alloc-summary.mjs). Unlike `node --heap-prof`, which keeps only what is
 * still alive at exit, it counts what was collected too: what a hot path allocates per frame,
 * the garbage the scavenger has to chase. One sample every 4 KiB allocated on average.
 * ALLOC_PROF_LIVE=1 keeps only what is still alive at the end instead: what the window retained.
 * ALLOC_PROF_LIVE=1 ALLOC_PROF_PROMOTED=1 keeps what outlived a scavenge, dead or alive at the end
 * (run the server with --expose-gc too, so that a scavenge first sweeps the young garbage).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const dir = process.env.ALLOC_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      sampling = true;
      // ALLOC_PROF_LIVE=1: only what is still alive when sampling stops (what the window kept).
      const collected = process.env.ALLOC_PROF_LIVE !== '1';
      // ALLOC_PROF_PROMOTED=1 (with ALLOC_PROF_LIVE=1): also what a major GC collected, so the
      // profile holds everything that survived a scavenge: what was promoted or pretenured.
      const major = collected || process.env.ALLOC_PROF_PROMOTED === '1';
      session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: major, includeObjectsCollectedByMinorGC: collected });
      return;
    }
    sampling = false;
    // With --expose-gc, a last scavenge first: what was allocated since the previous one and is
    // already garbage is then not counted as having outlived one (ALLOC_PROF_PROMOTED).
    if (process.env.ALLOC_PROF_PROMOTED === '1' && typeof globalThis.gc === 'function') globalThis.gc({ type: 'minor' });
    session.post('HeapProfiler.stopSampling', (err, r) => {
      if (err) return process.stderr.write(`alloc-probe: ${err.message}\n`);
      writeFileSync(`${dir}/alloc-${process.pid}.heapprofile`, JSON.stringify(r.profile));
      process.stderr.write(`@@alloc-profile ${dir}/alloc-${process.pid}.heapprofile\n`);
    });
  });
}
