/**
 * Node flags the sync server runs with, wherever it runs: `npm start` (package.json), a
 * supervisor's command line (README "Health and shutdown"), and the tests and benches that start
 * it (tests/support/sync-server.ts).
 *
 * --max-semi-space-size=64: V8's young generation at 64 MB semi-spaces instead of 16. A class at
 * 100 rooms × 30 allocates about 13 MB/s of short-lived frames; with 16 MB semi-spaces a
 * scavenge came about once a second. With 64 MB they come about every 4 s and the server's time
 * in scavenges falls to about a quarter (bench/class-fanout.bench.ts, idle, 3 Dec 2026: 47-48
 * scavenges and 414-438 ms of pauses in 40 s → 11-12 and 92-215 ms), but each pause is longer
 * (12-20 ms, `--trace-gc-nvp`), so the fan-out p99 is not reliably lower: it stays above 2× the
 * floor's (issue 14). The heap grows by at most 3 × 48 MB, committed as used.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The flags of SERVER_NODE_FLAGS this process was not started with (execArgv or NODE_OPTIONS). */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)]);
  return SERVER_NODE_FLAGS.filter((f) => !given.has(f));
}
