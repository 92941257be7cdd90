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
 * Needs build/ (npx vite build). Starts its own PocketBase and sync server (tests/support).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../tests/support/browser';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import { installFakeBluetooth } from '../tests/browser/strap-fake-bluetooth';

const COUNT = Number(process.argv[2] ?? 1000);
const HZ = Number(process.argv[3] ?? 4);
const SCREEN = process.env.SCREEN === 'workout' ? 'workout' : 'strap';
const root = fileURLToPath(new URL('..', import.meta.url));

interface Sample {
  dom: number;
  frame: number;
}

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

  console.log(`notification → paint (${SCREEN} screen): ${COUNT} notifications at ${HZ} Hz (~${Math.round(COUNT / HZ)} s) in ${await browser.context.browser()?.version() ?? 'Chromium'} …`);
  const samples = await page.evaluate(
    ({ count, hz, bpmTestId }) =>
      new Promise<Array<{ dom: number; frame: number }>>((resolve) => {
        const fake = (window as unknown as { __fakeStrap: { send(b: number[]): boolean } }).__fakeStrap;
        // The number's element may be re-created (the workout screen's timer changes beside it):
        // watch its container and wait for the number just sent.
        const bpmEl = () => document.querySelector(`[data-testid="${bpmTestId}"]`);
        const el = bpmEl()!.closest('section') ?? document.body;
        const out: Array<{ dom: number; frame: number }> = [];
        let sentAt = 0;
        let sentBpm = 0;
        let waiting = false;
        new MutationObserver(() => {
          if (!waiting || bpmEl()?.textContent?.trim() !== String(sentBpm)) return;
          waiting = false;
          const dom = performance.now() - sentAt;
          const start = sentAt;
          requestAnimationFrame(() => {
            out.push({ dom, frame: performance.now() - start });
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
  console.log(
    `(${samples.length} samples; chart held ${points} points of the last 5 minutes; ` +
      `${longFrames.length} long animation frames ≥ 50 ms during the run${longFrames.length ? `, longest ${Math.max(...longFrames).toFixed(0)} ms` : ''})`,
  );
} finally {
  await browser.close();
  await server.stop();
  await pb.dispose();
}

// The parser on its own (same logic as bench/heart-rate-parser.bench.ts).
const parser = spawnSync(process.execPath, ['--import', 'tsx', 'bench/heart-rate-parser.bench.ts'], { cwd: root, encoding: 'utf8' });
process.stdout.write(parser.stdout || parser.stderr);
