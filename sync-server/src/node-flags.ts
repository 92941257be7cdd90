/**
 * Node flags the sync server runs with, wherever it runs: `npm start` (package.json), a
 * supervisor's command line (README "Health and shutdown"), and the tests and benches that start
 * it (tests/support/sync-server.ts).
 *
 * --max-semi-space-size=64: V8's young generation at 64 MB semi-spaces instead of 16. A class at
 * 100 rooms × 30 allocates about 13 MB/s of short-lived frames; with 16 MB semi-spaces a
 * scavenge came about once a second and its 5-20 ms pause was the fan-out's p99. With 64 MB
 * they come about every 4 s, nearly all of a frame's objects are dead by then, and each pause
 * costs about the same (bench/class-fanout.bench.ts, 3 Dec 2026: 48 scavenges in 40 s → 11,
 * p99 7.7 → … ms). The heap grows by at most 3 × 48 MB, committed as used.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The flags of SERVER_NODE_FLAGS this process was not started with (execArgv or NODE_OPTIONS). */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)]);
  return SERVER_NODE_FLAGS.filter((f) => !given.has(f));
}
