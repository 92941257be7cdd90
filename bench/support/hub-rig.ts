/**
 * The room hub's benches (bench/hub-*.bench.ts): one hub page in Debian's Chromium carrying
 * ANT+ straps from the fake USB ANT stick (tests/browser/ant-fake-usb.ts: the real WebUSB
 * adapter, framing and decoder) at their native ~4 Hz and Bluetooth straps on Chromium's emulated
 * radio (CDP BluetoothEmulation, tests/browser/hub-ble-emulation.ts) at 1 Hz, with the page's
 * main-thread CPU from CDP Performance.getMetrics (TaskDuration).
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/support/browser';
import { fakeStraps, FAKE_ANTUSB_M, installFakeAntUsb, TEST_NETWORK_KEY } from '../../tests/browser/ant-fake-usb';
import { chooser, EmulatedRoom, pump } from '../../tests/browser/hub-ble-emulation';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The page's main-thread task time so far, seconds. */
export async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Chromium with Web Bluetooth's emulation (experimental web platform features). */
export function launchHubBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--enable-experimental-web-platform-features'] });
}

/** A context whose pages run functions that tsx compiled (esbuild keepNames wraps them with __name()). */
export async function benchContext(browser: Browser, viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  return context;
}

export interface HubRig {
  context: BrowserContext;
  page: Page;
  room: EmulatedRoom;
  cdp: CDPSession;
  total: number;
  /** The stick, then each Bluetooth strap through the chooser, until every tile is live. */
  connectAll(): Promise<void>;
  /** Silences every strap (the Bluetooth pump stops, the stick closes). */
  silence(): Promise<void>;
}

/**
 * Opens the hub page at `path` (`/rooms/<id>/hub`, with `#hub=<token>` to publish to the room)
 * with `ant` straps on the fake stick and `ble` emulated Bluetooth straps; `prepare` runs on the
 * context before the page opens (init scripts).
 */
export async function openHub(browser: Browser, opts: { url: string; ant: number; ble: number; prepare?: (context: BrowserContext) => Promise<void> }): Promise<HubRig> {
  const room = await EmulatedRoom.create(browser, opts.ble);
  const context = await benchContext(browser, { width: 1600, height: 1200 });
  await installFakeAntUsb(context as unknown as Page, { ...FAKE_ANTUSB_M, networkKeyHex: TEST_NETWORK_KEY, straps: fakeStraps(opts.ant) });
  await opts.prepare?.(context);
  const page = await context.newPage();
  const prompt = await chooser(context, page, room);
  await page.goto(opts.url);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const total = opts.ant + opts.ble;
  let stopPump: (() => Promise<void>) | null = null;
  return {
    context,
    page,
    room,
    cdp,
    total,
    async connectAll() {
      await page.getByTestId('hub-ant-key').fill(TEST_NETWORK_KEY);
      await page.getByTestId('hub-ant-connect').click();
      stopPump = pump(page, room, 1_000);
      for (const s of room.straps) {
        prompt.want = s;
        await page.getByTestId('hub-ble-add').click();
        await until(`Bluetooth strap ${s.i}`, async () => (await page.locator('[data-testid="hub-tile"][data-kind="ble"]').count()) === s.i + 1);
      }
      await until('every strap live', async () => (await page.locator('[data-testid="hub-tile"][data-state="live"]').count()) === total);
    },
    async silence() {
      await stopPump?.();
      stopPump = null;
      await page.evaluate(() => (window as unknown as { __hrmHub: { ant: { disconnect(): Promise<void> } } }).__hrmHub.ant.disconnect());
    },
  };
}
