/**
 * One room hub carrying 30 ANT+ straps at their native ~4 Hz (the fake USB ANT stick,
 * tests/browser/ant-fake-usb.ts: the real WebUSB adapter, framing and decoder) plus 8 Bluetooth
 * straps at 1 Hz (Chromium's real Web Bluetooth on its emulated radio, CDP BluetoothEmulation:
 * tests/browser/hub-ble-emulation.ts), in the built PWA in Debian's Chromium. Every reading goes
 * through the hub's one reading stream into the tiles and the crash-safe recorder (IndexedDB).
 *
 * Prints, over a measuring window with every strap live:
 * - hub CPU: the page's main-thread task time (CDP Performance.getMetrics TaskDuration), per
 *   second, per strap, beside an idle hub page (no strap) as the baseline;
 * - reading → tile drawn p50/p95/p99/max (arrival in the page → the tile's DOM updated; tiles
 *   are redrawn at most every 100 ms, RoomHub TILE_FRAME_MS);
 * - readings per second by kind, IndexedDB writes, the longest arrival → committed, and whether
 *   every reading that arrived was recorded (nothing dropped).
 * The Bluetooth pump (the test's readValue() in the page, answered by CDP) runs in the page too
 * and is counted in its CPU: a real strap's notification costs the page less.
 *
 *   node --import tsx bench/hub-straps.bench.ts [seconds=30] [ant=30] [ble=8]
 *
 * Needs build/ (npx vite build). Starts its own PocketBase and sync server (tests/support).
 */
import type { Page } from 'playwright-core';
import { startTestPocketBase } from '../tests/support/pocketbase';
import { startSyncServer } from '../tests/support/sync-server';
import { launchHubBrowser, openHub, percentile, sleep, taskSeconds } from './support/hub-rig';

const SECONDS = Number(process.argv[2] ?? 30);
const ANT_COUNT = Number(process.argv[3] ?? 30);
const BLE_COUNT = Number(process.argv[4] ?? 8);

interface HubWindow {
  __hrmHub: { tileLatencyMs: number[]; recorder: { stats: { readings: number; writes: number; maxLatencyMs: number; failedWrites: number } } };
}

const stats = (page: Page) =>
  page.evaluate(() => {
    const hub = (window as unknown as HubWindow).__hrmHub;
    return { ...hub.recorder.stats };
  });

async function storedCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('hrm');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('hubRecordings').objectStore('hubRecordings').getAll();
          all.onsuccess = () => resolve((all.result as Array<{ readingCount: number }>).reduce((n, r) => n + r.readingCount, 0));
        };
      }),
  );
}

const pb = await startTestPocketBase();
const server = await startSyncServer({ pb });
const browser = await launchHubBrowser();
try {
  const hub = await openHub(browser, { url: `${server.url}/rooms/bench/hub`, ant: ANT_COUNT, ble: BLE_COUNT });
  const { page, cdp, total } = hub;

  // Baseline: the hub page with nothing connected.
  const idleWindow = Math.min(10, SECONDS);
  const idle0 = await taskSeconds(cdp);
  await sleep(idleWindow * 1000);
  const idleCpu = (await taskSeconds(cdp)) - idle0;

  await hub.connectAll();

  // The window.
  await page.evaluate(() => void (window as unknown as HubWindow).__hrmHub.tileLatencyMs.splice(0));
  const s0 = await stats(page);
  const c0 = await taskSeconds(cdp);
  const t0 = Date.now();
  await sleep(SECONDS * 1000);
  const cpu = (await taskSeconds(cdp)) - c0;
  const elapsed = (Date.now() - t0) / 1000;
  const s1 = await stats(page);
  const latencies = (await page.evaluate(() => [...(window as unknown as HubWindow).__hrmHub.tileLatencyMs])).sort((a, b) => a - b);
  const liveAtEnd = await page.locator('[data-testid="hub-tile"][data-state="live"]').count();
  // Silence every strap (pump stopped, stick closed), then compare what arrived with what is stored.
  await hub.silence();
  // The rows' counts follow the chunks within a second: wait for the tick after the last write.
  await sleep(1_500);
  const s2 = await stats(page);
  const stored = await storedCount(page);

  const readings = s1.readings - s0.readings;
  const cpuMsPerS = (cpu * 1000) / elapsed;
  const idleMsPerS = (idleCpu * 1000) / idleWindow;
  console.log(`hub: ${ANT_COUNT} ANT+ straps (~4 Hz) + ${BLE_COUNT} Bluetooth straps (1 Hz), ${elapsed.toFixed(1)} s window; ${liveAtEnd}/${total} tiles live at the end`);
  console.log(`readings: ${readings} (${(readings / elapsed).toFixed(1)}/s) in ${s1.writes - s0.writes} IndexedDB writes; longest arrival → committed ${s1.maxLatencyMs} ms; failed writes ${s1.failedWrites}`);
  console.log(`hub CPU (main-thread task time): ${cpuMsPerS.toFixed(1)} ms/s = ${(cpuMsPerS / 10).toFixed(1)} % of one core; per strap ${(cpuMsPerS / total).toFixed(2)} ms/s; idle hub page ${idleMsPerS.toFixed(1)} ms/s`);
  console.log(`per strap over idle: ${((cpuMsPerS - idleMsPerS) / total).toFixed(2)} ms/s`);
  console.log(
    `reading → tile drawn (${latencies.length} readings): p50 ${percentile(latencies, 50)} ms  p95 ${percentile(latencies, 95)} ms  p99 ${percentile(latencies, 99)} ms  max ${latencies.at(-1)} ms`,
  );
  console.log(`recorded: ${stored} readings stored of ${s2.readings} received (${s2.readings - stored} not stored)`);
} finally {
  await browser.close();
  await server.stop();
  await pb.dispose();
}
