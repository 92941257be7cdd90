/**
 * Notification → BPM on screen, in the built PWA in Debian's Chromium: a fake strap (injected
 * navigator.bluetooth, as in tests/browser/strap-live.test.ts) notifies at 4 Hz; in the page,
 * each notification is timestamped at dispatch, a MutationObserver sees the big number change
 * (Svelte's DOM update), and a requestAnimationFrame callback marks the frame that paints it.
 * Prints p50/p95/p99 of dispatch → DOM and dispatch → frame (goal: p99 ≤ 16.7 ms, one frame at
 * 60 Hz), a baseline (a timer asking for a frame with nothing to do: the browser's own frame
 * scheduling), then the parser throughput from bench/heart-rate-parser.bench.ts.
 *
 *   node --import tsx bench/notification-to-paint.bench.ts [count=1000] [hz=4]
 *   CHROMIUM_EXTRA_ARGS="--disable-frame-rate-limit --disable-gpu-vsync" node --import tsx bench/notification-to-paint.bench.ts
 *   SCREEN=workout node --import tsx bench/notification-to-paint.bench.ts   (the live workout
 *     screen with its HR graph, a stopwatch running, instead of the strap page)
 *
 * On Linux it also tells the frames the machine descheduled from the others: /proc schedstat of
 * Chromium's rendering threads (renderer main, compositor, GPU main and display compositor)
 * polled every 4 ms (bench/support/run-queue.ts); a sample during which those threads waited
 * ≥ DESCHEDULED_MS for a CPU is counted as descheduled, and the figures are printed for all
 * samples and for the others (both; the first is the one the goal is about).
 *
 * Also prints the main-thread work per notification from Chromium's own counters (CDP
 * Performance.getMetrics in thread ticks: CPU time, script, style and layout), a figure a busy
 * machine inflates far less than the latencies. PROFILE=1 adds a CPU profile's top functions.
 *
 * Needs build/ (npx vite build). Starts its own PocketBase and sync server (tests/support).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../tests/support/browser';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import { installFakeBluetooth } from '../tests/browser/strap-fake-bluetooth';
import { watchRunQueue } from './support/run-queue';

const COUNT = Number(process.argv[2] ?? 1000);
const HZ = Number(process.argv[3] ?? 4);
const SCREEN = process.env.SCREEN === 'workout' ? 'workout' : 'strap';
const root = fileURLToPath(new URL('..', import.meta.url));

interface Sample {
  dom: number;
  frame: number;
  /** Wall time (ms since the epoch) of the notification. */
  at: number;
}

/** Run-queue wait of the rendering threads during a sample that marks it descheduled. */
const DESCHEDULED_MS = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(label: string, values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2).padStart(6);
  return `${label.padEnd(28)} p50 ${f(percentile(s, 50))} ms   p95 ${f(percentile(s, 95))} ms   p99 ${f(percentile(s, 99))} ms   max ${f(s.at(-1)!)} ms`;
}

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
// Headless Chromium paces frames on a software vsync; CHROMIUM_EXTRA_ARGS (e.g.
// "--disable-frame-rate-limit --disable-gpu-vsync") removes that pacing, to see the app's own
// latency apart from the frame clock.
const browser = await openBrowser({ args: (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean) });
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // tsx (esbuild keepNames) wraps functions with __name(); give the page a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await installFakeBluetooth(page);
  await page.goto(`${server.url}/strap`);
  await page.getByTestId('strap-pair').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="strap-state"]')?.getAttribute('data-state') === 'streaming');
  if (SCREEN === 'workout') {
    // In-app navigation keeps the paired strap (a reload would need a tap to reconnect).
    await page.locator('a[href="/workout"]').first().click();
    await page.getByTestId('preset-stopwatch').click();
    await page.getByTestId('live-hr-graph').waitFor();
  }
  const bpmTestId = SCREEN === 'workout' ? 'hr-bpm' : 'live-bpm';

  // Main-thread work of the run from Chromium's own counters (CDP Performance.getMetrics):
  // ThreadTime is the renderer main thread's CPU time, which a busy machine does not inflate the
  // way it inflates latencies; per notification it says what one reading costs the page.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
  // PROFILE=1: a CPU profile of the run, its top functions by self time printed after the figures.
  if (process.env.PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const before = await metrics();
  const runQueue = watchRunQueue();
  console.log(`notification → paint (${SCREEN} screen): ${COUNT} notifications at ${HZ} Hz (~${Math.round(COUNT / HZ)} s) in ${await browser.context.browser()?.version() ?? 'Chromium'} …`);
  const samples = await page.evaluate(
    ({ count, hz, bpmTestId }) =>
      new Promise<Array<{ dom: number; frame: number; at: number }>>((resolve) => {
        const fake = (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap;
        // The number's element may be re-created (the workout screen's timer changes beside it):
        // watch its container and wait for the number just sent.
        const bpmEl = () => document.querySelector(`[data-testid="${bpmTestId}"]`);
        const el = bpmEl()!.closest('section') ?? document.body;
        const out: Array<{ dom: number; frame: number; at: number }> = [];
        let sentAt = 0;
        let sentBpm = 0;
        let waiting = false;
        new MutationObserver(() => {
          if (!waiting || bpmEl()?.textContent?.trim() !== String(sentBpm)) return;
          waiting = false;
          const dom = performance.now() - sentAt;
          const start = sentAt;
          requestAnimationFrame(() => {
            out.push({ dom, frame: performance.now() - start, at: performance.timeOrigin + start });
            if (out.length === count) resolve(out);
          });
        }).observe(el, { childList: true, characterData: true, subtree: true });
        // Long animation frames (≥ 50 ms of work in one frame) during the run: our own cost.
        const long: number[] = [];
        (window as unknown as { __longFrames: number[] }).__longFrames = long;
        try {
          new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration))).observe({
            type: 'long-animation-frame',
          });
        } catch {
          // not supported: report nothing
        }
        let i = 0;
        const timer = setInterval(() => {
          if (i >= count) return clearInterval(timer);
          // Always a different number, with RR and contact, as a real strap at ~100-160 bpm.
          const bpm = 100 + (i % 60);
          const rr = Math.round((60 / bpm) * 1024);
          sentAt = performance.now();
          sentBpm = bpm;
          waiting = true;
          fake.send([0x16, bpm, rr & 0xff, rr >> 8]);
          i++;
        }, 1000 / hz);
      }),
    { count: COUNT, hz: HZ, bpmTestId },
  );
  const after = await metrics();
  runQueue.stop();
  const profile = process.env.PROFILE ? (await cdp.send('Profiler.stop')).profile : null;
  const per = (name: string, scale = 1000) => ((after[name]! - before[name]!) * scale) / COUNT;
  const points = SCREEN === 'workout' ? 'its' : await page.getByTestId('hr-chart').getAttribute('data-point-count');
  const longFrames = await page.evaluate(() => (window as unknown as { __longFrames: number[] }).__longFrames);

  // Baseline: the same 4 Hz timer asking for a frame with no notification and no DOM change,
  // to tell this browser's frame scheduling (headless, software compositing) from our work.
  const baseline = await page.evaluate(
    ({ count, hz }) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        const timer = setInterval(() => {
          const start = performance.now();
          requestAnimationFrame(() => {
            out.push(performance.now() - start);
            if (out.length === count) {
              clearInterval(timer);
              resolve(out);
            }
          });
        }, 1000 / hz);
      }),
    { count: Math.min(COUNT, 200), hz: HZ },
  );
  console.log(summary('dispatch → DOM updated', samples.map((s: Sample) => s.dom)));
  console.log(summary('dispatch → frame painted', samples.map((s: Sample) => s.frame)));
  console.log(summary('baseline: timer → next frame', baseline));
  if (runQueue.threads > 0) {
    const waited = samples.map((s: Sample) => runQueue.waitBetween(s.at, s.at + s.frame));
    const kept = samples.filter((_: Sample, i: number) => waited[i]! < DESCHEDULED_MS);
    const late = samples.map((s: Sample, i: number) => ({ frame: s.frame, waited: waited[i]! })).filter((x) => x.frame > 16.7);
    console.log(
      `descheduled: ${samples.length - kept.length} of ${samples.length} samples had the rendering threads (${runQueue.threads}) waiting ≥ ${DESCHEDULED_MS} ms for a CPU; ` +
        `${late.filter((x) => x.waited >= DESCHEDULED_MS).length} of the ${late.length} frames over 16.7 ms were among them`,
    );
    if (kept.length > 0) {
      console.log(summary('  not descheduled: → DOM', kept.map((s: Sample) => s.dom)));
      console.log(summary('  not descheduled: → frame', kept.map((s: Sample) => s.frame)));
    }
  } else {
    console.log('descheduled: not measured (no /proc schedstat for the browser threads)');
  }
  console.log(
    `main-thread work per notification (CDP Performance metrics, all the page did during the run / ${COUNT}): ` +
      `CPU ${per('ThreadTime').toFixed(2)} ms; tasks ${per('TaskDuration').toFixed(2)} ms, of which script ${per('ScriptDuration').toFixed(2)} ms, ` +
      `style ${per('RecalcStyleDuration').toFixed(2)} ms (${per('RecalcStyleCount', 1).toFixed(2)} recalcs), layout ${per('LayoutDuration').toFixed(2)} ms (${per('LayoutCount', 1).toFixed(2)} layouts)`,
  );
  console.log(
    `(${samples.length} samples; chart held ${points} points of the last 5 minutes; ` +
      `${longFrames.length} long animation frames ≥ 50 ms during the run${longFrames.length ? `, longest ${Math.max(...longFrames).toFixed(0)} ms` : ''})`,
  );
  if (profile) {
    const self = new Map<string, number>();
    const dt = new Map<number, number>();
    profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
    for (const n of profile.nodes) {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0));
    }
    console.log('top self time (ms per notification):');
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(us / 1000 / COUNT).toFixed(3).padStart(7)}  ${k}`);
  }
} finally {
  await browser.close();
  await server.stop();
  await pb.dispose();
}

// The parser on its own (same logic as bench/heart-rate-parser.bench.ts).
const parser = spawnSync(process.execPath, ['--import', 'tsx', 'bench/heart-rate-parser.bench.ts'], { cwd: root, encoding: 'utf8' });
process.stdout.write(parser.stdout || parser.stderr);
