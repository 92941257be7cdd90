import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { fakeCounters, installFakeBluetooth, removeBluetooth, sendPacket } from './strap-fake-bluetooth';

// The strap screen of the real PWA (built), served by a real sync server on a real PocketBase,
// in Debian's Chromium, with an injected navigator.bluetooth or none at all.
const server = useTestServer();

const tid = (page: Page, id: string) => page.getByTestId(id);
const text = (page: Page, id: string) => tid(page, id).textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const linkState = (page: Page) => tid(page, 'strap-state').getAttribute('data-state');

async function withPage(setup: (page: Page) => Promise<void>, fn: (page: Page, b: TestBrowser) => Promise<void>) {
  const b = await openBrowser();
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    await setup(page);
    await fn(page, b);
    expect(errors, 'page errors and console errors').toEqual([]);
  } finally {
    await b.close();
  }
}

async function pairFake(page: Page) {
  await page.goto(`${server.url}/strap`);
  await tid(page, 'strap-pair').click();
  await expect.poll(() => linkState(page)).toBe('streaming');
  // startNotifications has resolved once the optional reads show up.
  await expect.poll(() => text(page, 'live-battery')).toBe('76 %');
}

describe('the strap screen with a (fake) Bluetooth strap', () => {
  it('shows each notification in order: uint8 and uint16 bpm, RR, contact lost, energy', async () => {
    await withPage(installFakeBluetooth, async (page) => {
      await pairFake(page);
      expect(await text(page, 'live-location')).toBe('Chest');
      expect(await text(page, 'live-bpm')).toBe('--');
      const counters = await fakeCounters(page);
      expect(counters.requestDeviceCalls).toBe(1);
      // The chooser asks for the Heart Rate service and Battery as an optional service.
      expect(JSON.stringify(counters.lastRequest)).toContain('0000180d-');
      expect(JSON.stringify(counters.lastRequest)).toContain('0000180f-');

      // Every text the big number takes, in order.
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid="live-bpm"]')!;
        const seen: string[] = [];
        (window as unknown as { __bpmSeen: string[] }).__bpmSeen = seen;
        new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
      });

      // 1. uint8 heart rate, no contact detection.
      expect(await sendPacket(page, [0x00, 72])).toBe(true);
      await expect.poll(() => text(page, 'live-bpm')).toBe('72');
      expect(await tid(page, 'live-contact').getAttribute('data-contact')).toBe('unsupported');
      expect(await text(page, 'live-zone')).toContain('Zone 0');
      expect(await text(page, 'live-percent')).toBe('40 % of max HR (180)');

      // 2. uint16 heart rate (154 = 0x009a): zone 4 of a 180 max, said in words too.
      await sendPacket(page, [0x01, 0x9a, 0x00]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('154');
      expect(await text(page, 'live-zone')).toBe('Zone 4 · Threshold');
      expect(await text(page, 'live-percent')).toBe('86 % of max HR (180)');
      expect(await tid(page, 'live-view').getAttribute('data-zone')).toBe('4');

      // 3. RR intervals with skin contact: 1024/1024 s and 870/1024 s; the last one is shown.
      await sendPacket(page, [0x16, 80, 0x00, 0x04, 0x66, 0x03]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('80');
      expect(await text(page, 'live-rr')).toBe('850 ms');
      expect(await tid(page, 'live-contact').getAttribute('data-contact')).toBe('detected');

      // A malformed packet (uint16 announced, one byte sent) is dropped, not shown.
      await sendPacket(page, [0x01, 0x48]);

      // 4. Contact lost, 0 bpm: a gap, never a number.
      await sendPacket(page, [0x04, 0x00]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('--');
      expect(await tid(page, 'live-contact').getAttribute('data-contact')).toBe('not-detected');
      expect(await text(page, 'strap-state')).toContain('no skin contact');
      expect(await text(page, 'gap-count')).toBe('1');

      // 5. Energy expended with contact back: the gap ends.
      await sendPacket(page, [0x0e, 90, 0x2c, 0x01]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('90');
      expect(await text(page, 'live-energy')).toBe('300 kJ');
      expect(await text(page, 'strap-state')).toBe('Connected to Fake H10');

      const seen = await page.evaluate(() => (window as unknown as { __bpmSeen: string[] }).__bpmSeen);
      expect(seen).toEqual(['72', '154', '80', '--', '90']);
      const gaps = await tid(page, 'chart-gaps').locator('li').evaluateAll((lis) =>
        lis.map((li) => ({ reason: li.getAttribute('data-reason'), closed: li.getAttribute('data-to') !== '' })),
      );
      expect(gaps).toEqual([{ reason: 'no-contact', closed: true }]);
      expect(await tid(page, 'hr-chart').getAttribute('data-point-count')).toBe('4');
    });
  });

  it('reconnects by itself after a drop mid-stream, without a chooser, and shows the gap', async () => {
    await withPage(installFakeBluetooth, async (page) => {
      await pairFake(page);
      await sendPacket(page, [0x00, 100]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('100');

      await page.evaluate(() => (window as unknown as { __fakeStrap: { drop(): void } }).__fakeStrap.drop());
      await expect.poll(() => linkState(page)).toBe('reconnecting');
      expect(await text(page, 'strap-state')).toMatch(/reconnecting \(attempt 1\)/);
      expect(await text(page, 'live-bpm')).toBe('--');
      expect(await tid(page, 'chart-gaps').locator('li[data-reason="disconnected"][data-to=""]').count()).toBe(1);

      // Decorrelated backoff: the first retry comes 1-3 s after the drop.
      await expect.poll(() => linkState(page), { timeout: 10_000 }).toBe('streaming');
      await expect.poll(async () => (await fakeCounters(page)).startNotificationsCalls).toBe(2);
      const counters = await fakeCounters(page);
      expect(counters.requestDeviceCalls).toBe(1);
      expect(counters.connectCalls).toBe(2);

      await sendPacket(page, [0x00, 110]);
      await expect.poll(() => text(page, 'live-bpm')).toBe('110');
      expect(await text(page, 'gap-count')).toBe('1');
      expect(await tid(page, 'hr-chart').getAttribute('data-gap-count')).toBe('1');
      const gap = tid(page, 'chart-gaps').locator('li[data-reason="disconnected"]');
      expect(await gap.getAttribute('data-to')).not.toBe('');
    });
  });

  it('says why a first connect failed, retries on request, and offers the remembered strap after a reload', async () => {
    await withPage(installFakeBluetooth, async (page) => {
      await page.goto(`${server.url}/strap`);
      await page.evaluate(() => ((window as unknown as { __fakeStrap: { state: { failConnects: number } } }).__fakeStrap.state.failConnects = 1));
      await tid(page, 'strap-pair').click();
      await expect.poll(() => linkState(page)).toBe('lost');
      expect(await text(page, 'strap-state')).toBe('Could not connect');
      expect(await text(page, 'strap-detail')).toContain('Connection failed');
      await tid(page, 'strap-retry').click();
      await expect.poll(() => linkState(page)).toBe('streaming');

      // No getDevices() here: after a reload one tap on "Reconnect Fake H10" (a chooser narrowed to it).
      await page.reload();
      await expect.poll(() => text(page, 'strap-reconnect')).toBe('Reconnect Fake H10');
      expect(await page.evaluate(() => localStorage.getItem('hrm.strap.last'))).toBe('{"id":"fake-strap-1","name":"Fake H10"}');
      await tid(page, 'strap-reconnect').click();
      await expect.poll(() => linkState(page)).toBe('streaming');
      expect(JSON.stringify((await fakeCounters(page)).lastRequest)).toContain('"name":"Fake H10"');
    });
  });

  it('reconnects after a reload without the chooser where getDevices() is offered', async () => {
    await withPage(
      (page) => installFakeBluetooth(page, { getDevices: true }),
      async (page) => {
        await pairFake(page);
        await page.reload();
        await expect.poll(() => linkState(page)).toBe('streaming');
        expect((await fakeCounters(page)).requestDeviceCalls).toBe(0);
        await sendPacket(page, [0x00, 64]);
        await expect.poll(() => text(page, 'live-bpm')).toBe('64');
      },
    );
  });

  it('keeps streaming while the user moves to another screen and back', async () => {
    await withPage(installFakeBluetooth, async (page) => {
      await pairFake(page);
      await tid(page, 'nav-strap').waitFor();
      await page.locator('a.brand').click();
      await page.waitForURL((u) => u.pathname === '/');
      await sendPacket(page, [0x00, 77]);
      await tid(page, 'nav-strap').click();
      await expect.poll(() => text(page, 'live-bpm')).toBe('77');
      expect(await linkState(page)).toBe('streaming');
      expect((await fakeCounters(page)).connectCalls).toBe(1);
    });
  });
});

describe('the strap screen without Web Bluetooth', () => {
  it('explains where straps work and runs the simulated strap instead', async () => {
    await withPage(removeBluetooth, async (page) => {
      await page.goto(`${server.url}/strap`);
      expect(await page.evaluate(() => 'bluetooth' in navigator)).toBe(false);
      await expect.poll(() => linkState(page)).toBe('unsupported');
      const explanation = await text(page, 'strap-unsupported');
      for (const words of ['Chrome', 'Edge', 'Android', 'ChromeOS', 'Bluefy', 'Safari', 'Firefox']) expect(explanation).toContain(words);
      expect(await tid(page, 'strap-pair').count()).toBe(0);

      await tid(page, 'strap-simulate').click();
      await expect.poll(() => linkState(page)).toBe('streaming');
      await expect.poll(() => text(page, 'live-bpm'), { timeout: 5_000 }).toMatch(/^\d{2,3}$/);
      expect(await text(page, 'live-battery')).toBe('87 %');
      expect(await text(page, 'live-zone')).toMatch(/^Zone \d · /);
      // Harder effort: the simulated heart keeps answering with numbers.
      await page.getByRole('button', { name: 'Sprint' }).click();
      expect(await text(page, 'sim-intensity-value')).toBe('100 %');
      await expect.poll(async () => Number(await tid(page, 'hr-chart').getAttribute('data-point-count')), { timeout: 6_000 }).toBeGreaterThanOrEqual(3);
      expect(await text(page, 'live-bpm')).toMatch(/^\d{2,3}$/);
      // The explanation stays: the user should still know why no real strap can be used.
      await tid(page, 'strap-unsupported').waitFor();
    });
  });
});
