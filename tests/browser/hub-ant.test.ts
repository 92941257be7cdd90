import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { fakeAnt, fakeStraps, FAKE_ANTUSB_M, installFakeAntUsb, TEST_NETWORK_KEY } from './ant-fake-usb';

// The hub page of the built PWA in Debian's Chromium, with an injected navigator.usb whose
// device speaks the ANT serial protocol (a fake ANTUSB-m) and carries 20 ANT+ straps at ~4 Hz.
const server = useTestServer();
const STRAPS = fakeStraps(20);

const tile = (page: Page, n: number) => page.locator(`[data-testid="hub-tile"][data-device="${n}"]`);
const tileState = (page: Page, n: number) => tile(page, n).getAttribute('data-state');
const tileBpm = (page: Page, n: number) => tile(page, n).getByTestId('hub-tile-bpm').textContent();

describe('the room hub with a (fake) USB ANT stick', () => {
  it('shows a tile for each of 20 straps; one that stops goes stale while the others keep updating', async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await installFakeAntUsb(page, { ...FAKE_ANTUSB_M, networkKeyHex: TEST_NETWORK_KEY, straps: STRAPS, backgroundEvery: 2 });
      await page.goto(`${server.url}/rooms/room1/hub`);

      // Without a key the hub says what is missing, and the stick is not touched.
      await page.getByTestId('hub-ant-connect').click();
      await expect.poll(() => page.getByTestId('hub-error').getAttribute('data-code')).toBe('ant_network_key_missing');
      expect(await fakeAnt(page, 'requestDeviceCalls')).toBe(0);

      await page.getByTestId('hub-ant-key').fill(TEST_NETWORK_KEY);
      await page.getByTestId('hub-ant-connect').click();
      await expect.poll(() => page.getByTestId('hub-ant-state').getAttribute('data-state')).toBe('scanning');
      await expect.poll(() => page.getByTestId('hub-tile').count()).toBe(20);
      for (const s of STRAPS) {
        await expect.poll(() => tileBpm(page, s.deviceNumber)).toBe(String(s.bpm));
        expect(await tile(page, s.deviceNumber).getByText(`Strap ${s.deviceNumber}`).count()).toBe(1);
      }
      // Battery (page 7) reaches every tile.
      for (const s of STRAPS) await expect.poll(() => tile(page, s.deviceNumber).getByTestId('hub-tile-battery').textContent()).toBe(`${s.battery} %`);

      // One strap stops: its tile goes stale (5 s without data); the others stay live and move.
      const gone = STRAPS[7]!.deviceNumber;
      await fakeAnt(page, 'stopStrap', gone);
      await fakeAnt(page, 'setBpm', STRAPS[0]!.deviceNumber, 150);
      await fakeAnt(page, 'setBpm', STRAPS[19]!.deviceNumber, 151);
      await expect.poll(() => tileBpm(page, STRAPS[0]!.deviceNumber)).toBe('150');
      await expect.poll(() => tileBpm(page, STRAPS[19]!.deviceNumber)).toBe('151');
      await expect.poll(() => tileState(page, gone)).toBe('stale');
      const states = await page.locator('[data-testid="hub-tile"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-device')}:${e.getAttribute('data-state')}`));
      expect(states.filter((s) => s.endsWith(':stale'))).toEqual([`${gone}:stale`]);
      expect(states).toHaveLength(20);

      // It comes back without disturbing the others.
      await fakeAnt(page, 'startStrap', gone);
      await expect.poll(() => tileState(page, gone)).toBe('live');
      expect(await page.getByTestId('hub-tile').count()).toBe(20);
      expect(errors).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
