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
 *
 * --no-memory-reducer: V8's memory reducer runs full, compacting collections to shrink the heap
 * (V8's heap/memory-reducer.cc). The joins of a class leave a few hundred MB of garbage in the
 * old space (3 000 joins in bench/class-fanout.bench.ts: heap 270–300 MB, 80 MB after), and in
 * our runs such a collection landed 60–100 s into the class as one 90–100 ms pause, with the
 * fan-out at full rate (which of the reducer's triggers fired is not measured). With WARMUP_S=60 (a window
 * 60–100 s after the joins, 3 Dec 2026): both runs without the flag had it in the window (93 and
 * 102 ms; p99 10.2 and 33.5 ms against the floor's 6.1 and 6.5), both runs with it had none
 * (longest pauses 8.8 and 30.7 ms; p99 4.3 and 7.7 against 1.7 and 3.0). It does not remove the
 * garbage: the old space is still collected when it reaches V8's limit, which can also come soon
 * after the joins (a 57 ms mark-compact in a default run with the flag); until then the server
 * keeps it (RSS about 520–570 MB against 290 at 100 rooms × 30).
 * Since 4 Dec 2026 the joins leave far less (a participant's snapshot reads only its own row,
 * live/hub.ts; PocketBase requests no longer decode the superuser token or go through undici,
 * pocketbase/admin-client.ts, loopback-fetch.ts): in a `--trace-gc-nvp` run the heap was 105 MB
 * after the 3 000 joins, with no full collection after start-up and 14–17 KB promoted per
 * scavenge in the window, so neither V8's limit nor the reducer has much left to collect.
 *
 * --no-allocation-site-pretenuring: V8 learns per allocation site (an object or array literal)
 * whether its objects outlive a scavenge, and once most do (85 %, during a scavenge with the
 * young generation at its largest), allocates that site's objects straight into the old space.
 * It takes the decision back only after a full collection that frees more than 90 % of the old
 * space (V8's heap.cc, EvaluateOldSpaceLocalPretenuring), which never happens here: ours freed
 * 19–48 % (`--trace-gc`, six in two runs). During a class's joins a scavenge comes about every
 * second, and an object that a socket keeps until its next frame (1 Hz) then mostly survives
 * one: `ws`'s receiver replaces its `_fragments` array on every message (dataMessage,
 * ws/lib/receiver.js). In a traced run
 * (`--trace-pretenuring-statistics --trace-deopt-verbose`, 4 Dec 2026) a site allocating about
 * once per frame (120 → 330 objects between scavenges as phones joined) survived at 86–97 %
 * from 5 to 11 s into the run, "maybe tenure", one large scavenge short of being tenured; then
 * V8 deoptimized the code depending on such sites (ws's dataMessage, the one per-frame function
 * among three) and the site fell back at 79 %.
 * In 3 of 13 runs without the flag the old space then grew after the joins by ~4.4 MB a
 * scavenge (`--trace-gc`: 70.4 → 74.7 → 79.1 MB), about 360 bytes a heart rate, as it would
 * with that site tenured (each frame's array in the old space, holding the frame's young buffer
 * alive from there; the site's name in those runs was not traced). Scavenges took 7–16 ms
 * instead of 3–7 and a 10–15 ms mark-compact came every ~13 s: p99 3.8–5.4 ms against the
 * floor's 1.0–1.2 (bench/class-fanout.bench.ts, issue 14). None of 10 runs with the flag grew.
 * Without pretenuring, short-lived objects die young; long-lived ones are copied once more, by
 * a scavenge, before they are promoted.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--no-memory-reducer', '--no-allocation-site-pretenuring'];

/** The flags of SERVER_NODE_FLAGS this process was not started with (execArgv or NODE_OPTIONS). */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)]);
  return SERVER_NODE_FLAGS.filter((f) => !given.has(f));
}
