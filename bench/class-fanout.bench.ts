/**
 * Class-mode fan-out with effort points, beside its floor (issue 14).
 *
 * What runs: ROOMS rooms × PARTICIPANTS simulated participants (scripts/simulate-class.ts),
 * each sending `{type:'hr', bpm, points, seq, t}` at 1 Hz, spread over the second, with its
 * effort points so far (core/workout effortPoints over its readings, added up reading by
 * reading: see scripts/simulate-class.ts; load-generator CPU, not server CPU), and one display
 * socket per room. The same load
 * (same people, seeds and counts, this process, this machine, this run) goes to
 *   1. the sync server: one `sync-server/src/main.ts` process with a real PocketBase, rooms,
 *      joins and display pairings made through the API, in-process fan-out (TRUST_PROXY on, so
 *      each room joins from its own X-Forwarded-For address, within the per-address join
 *      limit); and to
 *   2. the floor: bench/support/bare-fanout-server.ts, a bare `ws` server in its own process
 *      that only JSON.parses and forwards each hr frame to the room's displays with a server
 *      timestamp (no auth, no validation, no pacing).
 * By default (MEASURE=sequential) the sync server's window comes first, then the floor's, each
 * alone on the load generator. On a shared machine whose load swings by the minute, one after
 * the other can compare two different machines (in runs at load average 10–20, stalls of
 * 200–400 ms that made the sync server's p99 came in the same seconds in the load generator,
 * `latencyBySecond`, and a floor measured minutes later saw none). Two other ways:
 * - MEASURE=interleaved sets both up and loads them in turns of SLICE_S seconds (default 5; the
 *   first second of a turn, while the other's frames drain, is not measured), the idle one's
 *   senders paused: both meet the same swings of the machine and neither is the other's load.
 *   DURATION_S is each target's measured time in all. Fairest against the machine's swings,
 *   but the idle turns are not a class's steady load: V8's memory reducer may see a paused
 *   server as idle and run a mark-compact that shrinks its young generation (one run of 3 Dec
 *   2026: a 76 ms mark-compact inside a window, RSS 599 → 299 MB, then 5–7 scavenges a second),
 *   which sequential and together runs do not show. `server.gc.majorCount` says when it did.
 *   The servers now run with --no-memory-reducer (sync-server/src/node-flags.ts), and the sync
 *   server had no mark-compact in 8 interleaved runs of 4 Dec 2026; but the floor had 3–10 in
 *   each of them, and 108–238 collections against 27–28 in sequential runs, which raises the
 *   floor's p99 and so lowers the ratio: read both targets' `server.gc` before an interleaved
 *   ratio. Why (`FLOOR_NODE_ARGS=--trace-gc`, 4 Dec 2026): at its first scavenge after an idle
 *   turn V8 shrinks the floor's young generation (committed heap 37 → 22 MB; the allocation rate
 *   over the pause is below V8's low-throughput mark), so each of its turns starts with a young
 *   generation of about a megabyte that the floor, which keeps almost nothing, grows back only
 *   slowly: 24–34 scavenges a turn against about 7 in a sequential run's 10 s, and its old space
 *   reaches its limit about every 20 s (10 mark-compacts, "finalize incremental marking via
 *   task"). `FLOOR_NODE_ARGS=--min-semi-space-size=16` keeps it: 6–7 scavenges a turn and one
 *   mark-compact in one run. That run's turns were no steadier, though (floor p99 1.7–18.8 ms
 *   by turn): the load generator, which holds both targets' sockets and ledgers, had 9
 *   mark-compacts of its own in the turns (`loadGeneratorGc`). Each turn's p99 is kept
 *   (`latencyP99ByWindowMs`), and `ratios.p99ByTurn` divides the sync server's turn by the
 *   floor's turn right after it; `ratios.p99MedianOfTurns` is their median, which one noisy turn
 *   moves least (SLICE_S=10 DURATION_S=80 gives 9 pairs of 9-s turns).
 * - MEASURE=together loads both at once and measures them over the same window: each server is
 *   the other's background load and the load generator carries both (its CPU is the sum), which
 *   also raises the floor's latency: read the absolute figures of both, not only the ratio.
 * ALLOC_PROF_DIR works with sequential and together only.
 *
 * What is measured, per target, over DURATION_S seconds after a WARMUP_S warm-up:
 * - latency: from just before a participant's `ws.send` to its display's `message` event (one
 *   clock: both ends are in this process), p50 / p99 / max over every frame sent in the window;
 * - server CPU: utime + stime of the server process from /proc/<pid>/stat over the window, as
 *   % of one core; RSS at the end;
 * - delivered: frames the displays received / frames the participants sent in the window,
 *   counted exactly per frame (bench/support/delivery-ledger.ts; in-flight frames get up to
 *   DRAIN_S after the window to arrive); `pointsMatched`: of those, how many carried the points
 *   the participant sent (`maxPoints`: the highest seen, so 0s everywhere would show;
 *   `runningPointsMismatchingEffortPoints`: participants whose running points, checked after
 *   the window, differ from effortPoints over all their readings: 0 expected);
 * - the server's own event-loop delay, GC pauses and heap per second (bench/support/loop-probe.mjs,
 *   `server`), and `latencyBySecond`: the worst seconds of latency beside the server's and the
 *   load generator's stalls in those seconds, and how they correlate;
 * - what the rest of the machine used meanwhile (`otherProcessesCpuPercentOfOneCore`: /proc/stat's
 *   busy time of all CPUs less the server's, PocketBase's and the generator's; a few % is the
 *   kernel's share of the sockets, and the two ways the kernel counts differ by a few % either
 *   way, so -4 to +4 means nothing else ran) and the hypervisor's steal;
 * - the load generator's own CPU (this process), its collections in the target's windows
 *   (`loadGeneratorGc`; per second in `latencyBySecond.worstSeconds`), and the load average at
 *   the start and end of each target and of the run: the machine is shared, so read the figures
 *   against them. The generator's heap is collected in full before each target's warm-up
 *   (collectGeneratorGarbage), so that the set-up's garbage is not collected in a window.
 *
 * How to run (2+ cores free is best; a default run sets up 3 000 joins, about 5 minutes on a
 * busy 2-core machine, then measures each target for WARMUP_S + DURATION_S):
 *   POCKETBASE_BIN=$PWD/.cache/pocketbase/pocketbase-v0.39.11 node --import tsx bench/class-fanout.bench.ts
 *   ROOMS=20 PARTICIPANTS=10 DURATION_S=20 node --import tsx bench/class-fanout.bench.ts
 *   MEASURE=interleaved POCKETBASE_BIN=… node --import tsx bench/class-fanout.bench.ts
 *   CPU_PROF_DIR=/tmp/prof …  (the sync server writes a .cpuprofile there when it stops; the
 *     profiler's own thread adds several % of CPU to the server's figure)
 *   SERVER_LOG_DIR=/tmp/logs …  (each server's output, with its probe lines, is written there)
 *   SERVER_CPUS=0 GENERATOR_CPUS=1 …  (the servers, PocketBase included, on CPU 0 and the load
 *     generator on CPU 1, with taskset: see SERVER_CPUS below)
 *   WARMUP_S=30 …  (default 5; the sync server's window follows its 3 000 joins, whose garbage
 *     and PocketBase writes a longer warm-up lets settle first)
 *   SYNC_SERVER_NODE_ARGS=--trace-gc …  (node flags for the sync server, tests/support/sync-server.ts;
 *     FLOOR_NODE_ARGS the same for the floor)
 *   ALLOC_PROF_PHASE=setup …  (with ALLOC_PROF_DIR: the sync server's profile covers its joins)
 *   SERVER_LOG_DIR=/tmp/logs PROBE_GC_EVENTS=1 …  (also every window frame, [send time as epoch
 *     ms, latency ms], in frames-<pid>.json, and each collection in the log: then
 *     `node bench/support/tail-episodes.mjs /tmp/logs` groups the slow frames into the bunches
 *     and collections they came in)
 *   ALLOC_PROF_DIR=/tmp/prof …  (each server writes an allocation profile of its window there,
 *     collected objects included: bench/support/alloc-probe.mjs; sum it up with
 *     `node bench/support/alloc-summary.mjs <file>`)
 * Progress goes to stderr, the JSON result to stdout.
 *
 * How to read it: `ratios.p99` and `ratios.cpu` are the sync server's figure over the floor's;
 * the goal is both ≤ 2 with `deliveredPercent` 100 for both targets (`goals` says which hold).
 * `goals.p99Under250ms` is the absolute latency goal from before the floor existed.
 * `server.gc` and `server.heapUsedMb` say whether a latency spike was the server's collector
 * (`latencyBySecond.worstSeconds` shows it beside the worst second;
 * `latencyBySecond.p99BySecondsWithServerGc` the p99 of the seconds with a scavenge or a
 * mark-compact and of those without). `sendBunching` is how many frames the load generator
 * sent in the same millisecond as each frame (p50, p99, max): both targets must show about the
 * same, since a p99 is mostly the last frame of a bunch waiting for the ones before it. Until
 * 4 Dec 2026 they did not: the phones' setInterval merged, during the sync server's long
 * set-up, into bursts of 30–50 frames a millisecond, against 6–20 for the floor set up in a
 * second (scripts/simulate-class.ts everySecondAt). Before the fix of 3 Dec
 * 2026 the sync server sent every reading back to its own phone too (two frames per reading,
 * the floor one), allocated about 9 KB per reading (the floor: about 3 KB; a quarter of it zod's
 * check of the frame) and kept a few objects per reading for about a second (the presence memo,
 * the pacing state): at 100 × 30 young-space
 * collections came twice a second, those objects were promoted, the old space grew about 2 MB/s
 * and a 80–140 ms mark-compact landed in the window. Found with SYNC_SERVER_NODE_ARGS='--trace-gc
 * --trace-gc-nvp' (promoted bytes per scavenge) and ALLOC_PROF_DIR (what allocates); now about
 * 4–5 KB per reading, 0.2–0.4 MB/s promoted, no mark-compact in the window (runs of 3 Dec). The floor's
 * CPU is small, so a few CPU ticks (10 ms each) of noise move the CPU ratio; prefer a longer
 * DURATION_S when the ratio is close to 2. A high load average or a load generator near 100 %
 * of a core means the latencies are the machine's, not the server's.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { tabataPlan } from '../core/workout';
import { fillRoom, openParticipantSocket, sendHeartRates, simulatedPeople, type SentHr, type SimulatedParticipants } from '../scripts/simulate-class';
import { client, newMember } from '../tests/support/http-client';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import { SERVER_NODE_FLAGS } from '../sync-server/src/node-flags';
import { startBareFanout } from './support/bare-fanout';
import { createDeliveryLedger, type DeliveryLedger } from './support/delivery-ledger';
import { generatorGcIn, latencyBySecond, startLoopSampler } from './support/latency-seconds';
import { loopProbeArgs, probeFigures } from './support/probe-figures';

/** ALLOC_PROF_DIR=<dir>: each server writes an allocation profile of the window there (bench/support/alloc-probe.mjs). */
const ALLOC_PROF_DIR = process.env.ALLOC_PROF_DIR;
/** ALLOC_PROF_PHASE=setup: the sync server's profile covers its joins (the setup) instead of the window. */
const ALLOC_PHASE = process.env.ALLOC_PROF_PHASE === 'setup' ? 'setup' : 'window';
/** ALLOC_PROF_LIVE=1: the profiles keep only what the window retained; with ALLOC_PROF_PROMOTED=1, what outlived a scavenge (alloc-probe.mjs). */
const allocEnv: Record<string, string> = ALLOC_PROF_DIR ? { ALLOC_PROF_DIR, ALLOC_PROF_LIVE: process.env.ALLOC_PROF_LIVE ?? '', ALLOC_PROF_PROMOTED: process.env.ALLOC_PROF_PROMOTED ?? '' } : {};
// PROBE_GC_EVENTS=1: the probe also logs each collection with its start time (@@gcevent), for bench/support/tail-episodes.mjs.
if (process.env.PROBE_GC_EVENTS) allocEnv.PROBE_GC_EVENTS = '1';
const serverProbeArgs = [...loopProbeArgs, ...(ALLOC_PROF_DIR ? ['--import', fileURLToPath(new URL('./support/alloc-probe.mjs', import.meta.url))] : [])];

const ROOMS = Number(process.env.ROOMS ?? 100);
const PARTICIPANTS = Number(process.env.PARTICIPANTS ?? 30);
const DURATION_S = Number(process.env.DURATION_S ?? 40);
const WARMUP_S = Number(process.env.WARMUP_S ?? 5);
/**
 * How the two targets share the machine: one after the other (default, `sequential`), both
 * loaded and measured in one window (`together`), or both set up and loaded in turns of SLICE_S
 * seconds, the idle one's senders paused (`interleaved`).
 */
const MEASURE = (process.env.MEASURE ?? 'sequential') as 'sequential' | 'together' | 'interleaved';
if (!['sequential', 'together', 'interleaved'].includes(MEASURE)) throw new Error(`MEASURE=${MEASURE}: sequential, together or interleaved`);
/** interleaved: the length of one turn; the first second of each turn is not measured (the other's frames drain). */
const SLICE_S = Number(process.env.SLICE_S ?? 5);
const DRAIN_S = 10;

/**
 * SERVER_CPUS=0 GENERATOR_CPUS=1 (taskset CPU lists): the load generator (this process) runs on
 * its CPUs, and each server (the sync server with its PocketBase, then the floor) on the
 * servers' CPUs. Unpinned on a 2-core machine, the generator (30–40 % of a core) and the server
 * preempt each other, so a stall of either lands in the other's latency. Pinned, the server
 * shares its CPU only with its own store and the rest of the machine, as on a gym's server the
 * phones are elsewhere; the floor is pinned the same way. On the 2-core VM of 4 Dec 2026 it did
 * not help: it lowered the floor's p99 more than ours (floor 0.7–1.5 ms in 5 pinned runs against
 * 0.9–2.0 in 18 unpinned ones, ours 1.8–4.4 against 1.2–2.3), so it is not the default; try it
 * where the servers can have more than one core.
 */
const SERVER_CPUS = process.env.SERVER_CPUS || undefined;
const GENERATOR_CPUS = process.env.GENERATOR_CPUS || undefined;
/** Moves every thread of `pid` to `cpus`; threads it starts later inherit them. */
const pin = (pid: number | undefined, cpus: string | undefined) => {
  if (pid && cpus) execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
};
pin(process.pid, GENERATOR_CPUS);

/**
 * A full collection of the load generator's heap, before each target's warm-up (interleaved:
 * before both warm-ups): what the set-up left (3 000 joins for the sync server) is collected
 * outside the window, not by a mark-compact in the middle of it that stalls every frame the
 * generator receives meanwhile (one run of 4 Dec 2026: a 57 ms generator stall
 * in the sync server's window, its p99 4.4 ms against the floor's 0.7). Both targets get it.
 */
setFlagsFromString('--expose-gc');
const collectGeneratorGarbage = runInNewContext('gc') as () => void;

const log = (m: string) => process.stderr.write(`${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ticksPerSecond = 100; // USER_HZ on Linux
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
}

/**
 * The whole machine's busy and stolen CPU so far (/proc/stat's `cpu` line, in ticks): busy is
 * everything but idle and iowait, summed over all CPUs; steal is time the hypervisor gave
 * another guest while this VM wanted to run.
 */
function machineTicks(): { busy: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq + steal, steal };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const ms = (x: number | undefined) => Number((x ?? NaN).toFixed(1));

/** A display socket for `roomId` that hands every hr frame to the ledger. */
async function openDisplay(url: string, roomId: string, token: string, ledger: DeliveryLedger): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/rooms/${roomId}/live`, { origin: url });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', v: 1, role: 'display', token }));
  ws.on('message', (data) => {
    // Plain JSON.parse: the load generator shares the machine, zod per frame would cost it.
    const msg = JSON.parse(String(data)) as { type: string; participantId: string; bpm: number; points?: number | null };
    if (msg.type === 'hr') ledger.received(msg);
  });
  return ws;
}

/** A target set up and loaded: its server process, its ledger and its senders. */
interface Target {
  pid: number;
  logs: () => string;
  ledger: DeliveryLedger;
  senders: SimulatedParticipants[];
  /** The sync server's PocketBase (its CPU is reported beside the server's). */
  storePid?: number;
}

/** What a target's measured windows add up to. */
interface Tally {
  seconds: number;
  serverTicks: number;
  storeTicks: number;
  generatorMicros: number;
  /** The machine's busy and stolen ticks over the windows (machineTicks). */
  machineBusyTicks: number;
  stealTicks: number;
  windows: Array<[number, number]>;
  loadStart: number[];
  loadEnd: number[];
}

const newTally = (): Tally => ({ seconds: 0, serverTicks: 0, storeTicks: 0, generatorMicros: 0, machineBusyTicks: 0, stealTicks: 0, windows: [], loadStart: [], loadEnd: [] });

/** Measures `t` for `seconds` into `tally`: its ledger's window, its CPU, the generator's. */
async function measureWindow(t: Target, tally: Tally, seconds: number) {
  if (tally.loadStart.length === 0) tally.loadStart = load();
  const cpu0 = cpuTicks(t.pid);
  const store0 = t.storePid ? cpuTicks(t.storePid) : 0;
  const self0 = process.cpuUsage();
  const machine0 = machineTicks();
  const t0 = performance.now();
  const wall0 = Date.now();
  t.ledger.start();
  await sleep(seconds * 1000);
  t.ledger.stop();
  const self = process.cpuUsage(self0);
  tally.seconds += (performance.now() - t0) / 1000;
  tally.serverTicks += cpuTicks(t.pid) - cpu0;
  if (t.storePid) tally.storeTicks += cpuTicks(t.storePid) - store0;
  tally.generatorMicros += self.user + self.system;
  const machine = machineTicks();
  tally.machineBusyTicks += machine.busy - machine0.busy;
  tally.stealTicks += machine.steal - machine0.steal;
  tally.windows.push([wall0, Date.now()]);
  tally.loadEnd = load();
}

/** Waits for a target's in-flight frames and sums up its windows. */
async function figuresOf(t: Target, tally: Tally, generatorLoop: ReturnType<typeof startLoopSampler>) {
  const rss = Number(readFileSync(`/proc/${t.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
  const drainUntil = performance.now() + DRAIN_S * 1000;
  while (t.ledger.outstanding > 0 && performance.now() < drainUntil) await sleep(50);
  const f = t.ledger.figures();
  // SERVER_LOG_DIR=<dir>: each server's output (its probe lines, --trace-gc if given…) is kept there.
  if (process.env.SERVER_LOG_DIR) {
    mkdirSync(process.env.SERVER_LOG_DIR, { recursive: true });
    writeFileSync(`${process.env.SERVER_LOG_DIR}/fanout-${t.pid}.log`, t.logs());
    writeFileSync(`${process.env.SERVER_LOG_DIR}/frames-${t.pid}.json`, JSON.stringify(f.frames.map(([at, ms]) => [performance.timeOrigin + at, ms])));
  }
  const checks = t.senders.map((s) => s.checkPoints());
  const seconds = tally.seconds;
  return {
    seconds: Number(seconds.toFixed(1)),
    windows: tally.windows.length,
    sent: f.sent,
    delivered: f.delivered,
    deliveredPercent: f.sent ? Number(((100 * f.delivered) / f.sent).toFixed(3)) : NaN,
    lost: f.lost,
    stillInFlightAfterDrain: f.outstanding,
    unmatched: f.unmatched,
    pointsMatched: f.pointsMatched,
    maxPoints: f.maxPoints,
    runningPointsMismatchingEffortPoints: checks.reduce((n, c) => n + c.mismatched, 0),
    hrDeliveredPerSecond: Math.round(f.delivered / seconds),
    serverCpuPercentOfOneCore: Number(((tally.serverTicks / ticksPerSecond / seconds) * 100).toFixed(1)),
    serverRssMb: Math.round(rss),
    // The sync server's PocketBase over the same windows (presence writes, health probes): it
    // shares the machine with both targets' processes; the floor has none.
    pocketBaseCpuPercentOfOneCore: t.storePid ? Number(((tally.storeTicks / ticksPerSecond / seconds) * 100).toFixed(1)) : null,
    loadGeneratorCpuPercentOfOneCore: Number(((tally.generatorMicros / 1e6 / seconds) * 100).toFixed(1)),
    // What the rest of the machine used meanwhile: every CPU's busy time less this target's
    // server, its PocketBase and the load generator (a compiler run beside the bench, 4 Dec
    // 2026: p99 5–23 ms for the 17 s it ran, 1–2 ms after). Steal is the hypervisor's.
    otherProcessesCpuPercentOfOneCore: Number((((tally.machineBusyTicks - tally.stealTicks - tally.serverTicks - tally.storeTicks - (tally.generatorMicros / 1e6) * ticksPerSecond) / ticksPerSecond / seconds) * 100).toFixed(1)),
    stealPercentOfOneCore: Number(((tally.stealTicks / ticksPerSecond / seconds) * 100).toFixed(1)),
    // The load generator's own collections in this target's windows: a long one delays every
    // frame it receives meanwhile (latencyBySecond.worstSeconds has them per second).
    loadGeneratorGc: generatorGcIn(generatorLoop.samples(), tally.windows),
    latencyMs: { p50: ms(percentile(f.latenciesMs, 50)), p99: ms(percentile(f.latenciesMs, 99)), max: ms(f.latenciesMs.at(-1)), samples: f.latenciesMs.length },
    // Each window's own p99 (interleaved: one per turn, in order), so two targets' turns next
    // to each other in time can be compared pair by pair (ratios.p99ByTurn).
    latencyP99ByWindowMs: tally.windows.map(([w0, w1]) => {
      const inWindow = f.frames.filter(([at]) => performance.timeOrigin + at >= w0 && performance.timeOrigin + at < w1).map(([, l]) => l);
      return ms(percentile(inWindow.sort((a, b) => a - b), 99));
    }),
    loadAverage: { start: tally.loadStart, end: tally.loadEnd },
    server: probeFigures(t.logs(), tally.windows),
    latencyBySecond: latencyBySecond(f.frames, t.logs(), generatorLoop.samples()),
    sendBunching: sendBunching(f.frames),
  };
}

/**
 * How bunched the load's sends were (frames sent within the same millisecond, by the load
 * generator's clock): a server's p99 is mostly the wait of the last frame of a bunch, so both
 * targets must get the same bunching for their p99s to compare.
 */
function sendBunching(frames: ReadonlyArray<readonly [number, number]>) {
  const perMs = new Map<number, number>();
  for (const [at] of frames) perMs.set(Math.floor(at), (perMs.get(Math.floor(at)) ?? 0) + 1);
  // Each frame counted with the size of its millisecond's bunch: the bunch the p99 frame was in.
  const sizes = [...perMs.values()].flatMap((n) => Array<number>(n).fill(n)).sort((a, b) => a - b);
  return { framesInSameMsP50: percentile(sizes, 50), framesInSameMsP99: percentile(sizes, 99), framesInSameMsMax: sizes.at(-1) ?? 0 };
}

/** Warms up, measures one target over one window, waits for in-flight frames. */
async function measure(t: Target) {
  collectGeneratorGarbage();
  await sleep(WARMUP_S * 1000);
  const generatorLoop = startLoopSampler();
  const tally = newTally();
  const profileWindow = ALLOC_PROF_DIR && ALLOC_PHASE === 'window';
  if (profileWindow) process.kill(t.pid, 'SIGUSR2'); // starts the allocation profile
  await measureWindow(t, tally, DURATION_S);
  if (profileWindow) process.kill(t.pid, 'SIGUSR2'); // writes it
  generatorLoop.stop();
  return figuresOf(t, tally, generatorLoop);
}
type Figures = Awaited<ReturnType<typeof measure>>;

/**
 * Both targets loaded in turns: in each SLICE_S turn one target's senders send and the other's
 * are paused, so both meet the machine's swings of load alike (a shared machine's load moves by
 * the minute), and neither is the other's background load. DURATION_S per target in all.
 */
async function measureInterleaved([a, b]: [Target, Target]): Promise<[Figures, Figures]> {
  const pause = (t: Target, paused: boolean) => t.senders.forEach((s) => (s.paused = paused));
  const tallies = [newTally(), newTally()] as const;
  // Once, not before every turn: a full collection of the generator took 280–290 ms a turn.
  collectGeneratorGarbage();
  for (const t of [a, b]) {
    pause(t === a ? b : a, true);
    pause(t, false);
    await sleep(WARMUP_S * 1000);
  }
  const generatorLoop = startLoopSampler();
  const turns = Math.max(1, Math.round(DURATION_S / Math.max(1, SLICE_S - 1)));
  for (let i = 0; i < 2 * turns; i++) {
    const [t, other] = i % 2 === 0 ? [a, b] : [b, a];
    pause(other, true);
    pause(t, false);
    await sleep(1000);
    await measureWindow(t, tallies[i % 2]!, SLICE_S - 1);
  }
  pause(a, false);
  pause(b, false);
  generatorLoop.stop();
  return [await figuresOf(a, tallies[0], generatorLoop), await figuresOf(b, tallies[1], generatorLoop)];
}

/** How a target, once set up, is measured (MEASURE). */
type Use = (t: Target) => Promise<Figures>;

/** interleaved: the first target set up waits (paused) for the second; then both are measured in turns. */
function interleavedUse(order: readonly ['sync', 'floor']): Record<'sync' | 'floor', Use> {
  const ready = new Map<string, Target>();
  let both!: (v: [Target, Target]) => void;
  const targets = new Promise<[Target, Target]>((r) => (both = r));
  const results = targets.then(measureInterleaved);
  const use =
    (name: 'sync' | 'floor'): Use =>
    async (t) => {
      t.senders.forEach((s) => (s.paused = true));
      ready.set(name, t);
      if (ready.size === 2) both([ready.get(order[0])!, ready.get(order[1])!]);
      return (await results)[order.indexOf(name)]!;
    };
  return { sync: use('sync'), floor: use('floor') };
}


async function measureSyncServer(use: Use): Promise<Figures> {
  const pb = await startTestPocketBase();
  // Behind a trusted proxy each room's joins come from its own gym's address, as 100 gyms
  // would; from one address they would meet the per-address join limit (240 a minute).
  // CPU_PROF_DIR=<dir>: the sync server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const nodeArgs = [...serverProbeArgs, ...(process.env.CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] : [])];
  const server = await startSyncServer({ pb, nodeArgs, env: { LOG_LEVEL: 'warn', TRUST_PROXY: 'true', ...allocEnv } });
  pin(pb.pid, SERVER_CPUS);
  pin(server.proc.pid, SERVER_CPUS);
  const ledger = createDeliveryLedger();
  const stops: Array<() => Promise<void> | void> = [];
  const senders: SimulatedParticipants[] = [];
  try {
    const coach = client(server.url);
    const m = newMember('bench');
    await coach.post('/api/v1/auth/register', m);
    await coach.post('/api/v1/auth/login', { email: m.email, password: m.password });
    const setupStart = Date.now();
    const profileSetup = ALLOC_PROF_DIR && ALLOC_PHASE === 'setup';
    if (profileSetup) process.kill(server.proc.pid!, 'SIGUSR2'); // starts the allocation profile
    for (let r = 0; r < ROOMS; r++) {
      const room = (await coach.post('/api/v1/rooms', { name: `Bench ${r}`, plan: tabataPlan(8) })).body.room as { id: string; joinCode: string };
      const display = (await coach.post(`/api/v1/rooms/${room.id}/displays`, { name: 'screen' })).body as { token: string };
      const ws = await openDisplay(server.url, room.id, display.token, ledger);
      stops.push(() => ws.close());
      const sim = await fillRoom({ url: server.url, code: room.joinCode, count: PARTICIPANTS, seed: r + 1, concurrency: 10, forwardedFor: `10.${r >> 8}.${r & 255}.1`, phaseMs: (i) => sendPhaseMs(r, i) });
      sim.onSend = ledger.sent;
      senders.push(sim);
      stops.push(() => sim.stop());
      if ((r + 1) % 10 === 0) log(`  sync server: ${r + 1}/${ROOMS} rooms filled`);
    }
    if (profileSetup) process.kill(server.proc.pid!, 'SIGUSR2'); // writes it
    log(`sync server: ${ROOMS} rooms × ${PARTICIPANTS} + ${ROOMS} displays set up in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
    log('sync server: measuring');
    return await use({ pid: server.proc.pid!, logs: () => server.logs(), ledger, senders, storePid: pb.pid });
  } finally {
    await Promise.all(stops.map((s) => s()));
    await server.stop();
    await pb.dispose();
  }
}

/**
 * When in each second participant i of room r sends, the same for both targets: phones are
 * independent, so their phases are spread at random over the second (a fixed hash, not
 * Math.random, so every run and both targets get the same schedule). scripts/simulate-class.ts
 * keeps each phone on its phase however long the set-up ran.
 */
function sendPhaseMs(r: number, i: number): number {
  let x = (r * 1_000 + i + 1) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  x ^= x >>> 16;
  return Math.floor(((x >>> 0) / 2 ** 32) * 1_000);
}

/** An id shaped like PocketBase's (15 × [a-z0-9]); the floor takes the token as the id. */
const floorId = (kind: string, r: number, i = 0) => `${kind}${String(r).padStart(6, '0')}${String(i).padStart(8, '0')}`;

async function measureFloor(use: Use): Promise<Figures> {
  // The floor runs with the sync server's node flags too (node-flags.ts): same Node, same heap sizing.
  const floorArgs = (process.env.FLOOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const floor = await startBareFanout({ nodeArgs: [...SERVER_NODE_FLAGS, ...serverProbeArgs, ...floorArgs], env: allocEnv });
  pin(floor.proc.pid, SERVER_CPUS);
  const ledger = createDeliveryLedger();
  const sockets: WebSocket[] = [];
  const senders: SimulatedParticipants[] = [];
  try {
    const setupStart = Date.now();
    for (let r = 0; r < ROOMS; r++) {
      const roomId = floorId('r', r);
      sockets.push(await openDisplay(floor.url, roomId, 'no-token', ledger));
      const hearts = simulatedPeople(PARTICIPANTS, r + 1);
      const participants = await Promise.all(
        hearts.map(async (_, i) => {
          const id = floorId('p', r, i);
          return { id, ws: await openParticipantSocket(floor.url, roomId, id) };
        }),
      );
      sockets.push(...participants.map((p) => p.ws));
      const sending = sendHeartRates(participants, hearts, undefined, { phaseMs: (i) => sendPhaseMs(r, i) });
      sending.onSend = ledger.sent;
      senders.push(sending);
    }
    log(`floor: ${ROOMS} rooms × ${PARTICIPANTS} + ${ROOMS} displays set up in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
    log('floor: measuring');
    return await use({ pid: floor.proc.pid!, logs: () => floor.logs(), ledger, senders });
  } finally {
    senders.forEach((s) => s.stop());
    sockets.forEach((ws) => ws.close());
    await floor.stop();
  }
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

/** Resolves for each of `n` callers once all `n` have called. */
function barrier(n: number): () => Promise<void> {
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return () => {
    if (--n === 0) release();
    return all;
  };
}

const loadAtStart = load();
log(`load average at start: ${loadAtStart.join(' ')}; targets measured ${MEASURE}; CPUs: servers ${SERVER_CPUS ?? 'any'}, generator ${GENERATOR_CPUS ?? 'any'}`);
let syncServer: Figures;
let floor: Figures;
const fail = (e: Error): never => {
  log(e.stack ?? e.message);
  process.exit(1);
};
if (MEASURE === 'together') {
  const both = barrier(2);
  const use: Use = async (t) => (await both(), measure(t));
  [syncServer, floor] = await Promise.all([measureSyncServer(use), measureFloor(use)]).catch(fail);
} else if (MEASURE === 'interleaved') {
  const uses = interleavedUse(['sync', 'floor']);
  [syncServer, floor] = await Promise.all([measureSyncServer(uses.sync), measureFloor(uses.floor)]).catch(fail);
} else {
  syncServer = await measureSyncServer(measure);
  floor = await measureFloor(measure);
}
log(`sync server: p99 ${syncServer.latencyMs.p99} ms, CPU ${syncServer.serverCpuPercentOfOneCore} %, delivered ${syncServer.deliveredPercent} %`);
log(`floor: p99 ${floor.latencyMs.p99} ms, CPU ${floor.serverCpuPercentOfOneCore} %, delivered ${floor.deliveredPercent} %`);
// Interleaved: the ratio of each pair of turns (the sync server's turn and the floor's right
// after it met about the same machine), and their median, which one noisy turn cannot move.
const p99ByTurn = MEASURE === 'interleaved' ? syncServer.latencyP99ByWindowMs.map((p, i) => ratio(p, floor.latencyP99ByWindowMs[i] ?? NaN)) : null;
const ratios = {
  p99: ratio(syncServer.latencyMs.p99, floor.latencyMs.p99),
  cpu: ratio(syncServer.serverCpuPercentOfOneCore, floor.serverCpuPercentOfOneCore),
  ...(p99ByTurn ? { p99ByTurn, p99MedianOfTurns: percentile([...p99ByTurn].sort((a, b) => a - b), 50) } : {}),
};
const result = {
  rooms: ROOMS,
  participantsPerRoom: PARTICIPANTS,
  participants: ROOMS * PARTICIPANTS,
  hz: 1,
  durationS: DURATION_S,
  measured: MEASURE,
  ...(MEASURE === 'interleaved' ? { sliceS: SLICE_S } : {}),
  cpus: { servers: SERVER_CPUS ?? 'any', generator: GENERATOR_CPUS ?? 'any' },
  loadAverage: { start: loadAtStart, end: load() },
  syncServer,
  bareWsFloor: floor,
  ratios,
  goals: {
    p99AtMost2xFloor: ratios.p99 <= 2,
    ...(ratios.p99MedianOfTurns !== undefined ? { p99MedianOfTurnsAtMost2xFloor: ratios.p99MedianOfTurns <= 2 } : {}),
    cpuAtMost2xFloor: ratios.cpu <= 2,
    allDelivered: syncServer.sent > 0 && syncServer.delivered === syncServer.sent && floor.sent > 0 && floor.delivered === floor.sent,
    pointsArrived: syncServer.pointsMatched === syncServer.delivered && floor.pointsMatched === floor.delivered,
    pointsAsEffortPoints: syncServer.runningPointsMismatchingEffortPoints === 0 && floor.runningPointsMismatchingEffortPoints === 0,
    p99Under250ms: syncServer.latencyMs.p99 < 250,
  },
};
console.log(JSON.stringify(result, null, 2));
