/**
 * Where a class-fanout run's slow frames came from (issue 14): reads what
 * `SERVER_LOG_DIR=<dir> PROBE_GC_EVENTS=1 … bench/class-fanout.bench.ts` left in <dir> (each
 * target's frames-<pid>.json and fanout-<pid>.log) and, per target, groups the frames slower
 * than THRESHOLD ms into episodes (slow frames sent less than 20 ms apart), each with the
 * server collection that overlapped it, if any. Also the bunches the load generator sent
 * (frames less than 0.3 ms apart) and, for bunches of 30–60, the median latency of their first
 * and slowest frame.
 *   node bench/support/tail-episodes.mjs /tmp/logs [thresholdMs=2] [episodesShown=15]
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';

const [dir, thresholdArg, shownArg] = process.argv.slice(2);
const threshold = Number(thresholdArg ?? 2);
const shown = Number(shownArg ?? 15);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (const file of readdirSync(dir).filter((f) => /^frames-\d+\.json$/.test(f))) {
  const pid = file.slice(7, -5);
  const frames = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')).sort((a, b) => a[0] - b[0]);
  if (frames.length === 0) continue;
  const logFile = `${dir}/fanout-${pid}.log`;
  const gcs = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('@@gcevent ')).map((l) => JSON.parse(l.slice(10)))
    : [];
  const t0 = frames[0][0];
  const latencies = frames.map((f) => f[1]).sort((a, b) => a - b);
  const slow = frames.filter((f) => f[1] >= threshold);
  const episodes = [];
  for (const [at, ms] of slow) {
    const e = episodes.at(-1);
    if (e && at - e.end < 20) Object.assign(e, { end: at, n: e.n + 1, max: Math.max(e.max, ms) });
    else episodes.push({ start: at, end: at, n: 1, max: ms });
  }
  for (const e of episodes) e.gc = gcs.find((g) => g.t <= e.end + 5 && g.t + g.ms >= e.start - 15) ?? null;
  const inGc = episodes.filter((e) => e.gc).reduce((s, e) => s + e.n, 0);
  const bunches = [];
  let bunch = [frames[0]];
  for (let i = 1; i < frames.length; i++) {
    if (frames[i][0] - frames[i - 1][0] < 0.3) bunch.push(frames[i]);
    else (bunches.push(bunch), (bunch = [frames[i]]));
  }
  bunches.push(bunch);
  const big = bunches.filter((b) => b.length >= 30 && b.length <= 60);
  console.log(
    `pid ${pid}: ${frames.length} frames, p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(2)} ms; ` +
      `${slow.length} frames ≥ ${threshold} ms in ${episodes.length} episodes, ${inGc} of them in episodes with a server collection ` +
      `(${gcs.filter((g) => g.t >= t0 && g.t <= frames.at(-1)[0]).length} collections in the window)`,
  );
  if (big.length) {
    console.log(`  ${big.length} bunches of 30–60 frames: median first ${median(big.map((b) => b[0][1])).toFixed(2)} ms, slowest ${median(big.map((b) => Math.max(...b.map((f) => f[1])))).toFixed(2)} ms`);
  }
  for (const e of [...episodes].sort((a, b) => b.n - a.n).slice(0, shown)) {
    const gc = e.gc ? `, collection ${e.gc.ms.toFixed(1)} ms (kind ${e.gc.kind}) at ${(e.gc.t - e.start).toFixed(1)} ms` : '';
    console.log(`  +${((e.start - t0) / 1000).toFixed(3)} s: ${e.n} frames over ${(e.end - e.start).toFixed(1)} ms, slowest ${e.max.toFixed(1)} ms${gc}`);
  }
}
