/**
 * Runs an auth step and answers no sooner than `floorMs` after it started, whether it
 * succeeded or failed, so that response times do not tell whether an email is registered
 * (PocketBase skips the password hash for an unknown account). The floor must exceed the
 * slowest honest path; bench/auth-timing.bench.ts prints both distributions.
 */
export async function withTimingFloor<T>(floorMs: number, fn: () => Promise<T>, sleep = defaultSleep): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
