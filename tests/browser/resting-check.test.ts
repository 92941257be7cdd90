import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../support/browser';
import { useTestServer } from '../support/test-server';
import { seriousViolations } from '../support/a11y';
import { installFakeBluetooth, sendPacket } from './strap-fake-bluetooth';

// Issue 16: a resting check in the real PWA (built) on a real sync server, in Debian's Chromium,
// with the injected fake strap sending one heart rate with an RR interval per second of the
// page's own clock (Playwright's page.clock, moved by hand: three minutes of check in seconds).
// The end screen shows the measured resting HR and RMSSD; "Use 52 bpm as my resting HR" changes
// the profile (60 before), and history shows the check with both values.
const server = useTestServer();
const tid = (page: Page, id: string) => page.getByTestId(id);
/** Client-side navigation: the paired fake strap lives on in the page. */
const goTo = (page: Page, href: string) =>
  page.evaluate((h) => {
    const a = document.createElement('a');
    a.href = h;
    document.body.append(a);
    a.click();
    a.remove();
  }, href);

/** Heart Rate Measurement: uint8 bpm, contact detected, one RR interval (1/1024 s). */
function packet(rrMs: number): number[] {
  const rr = Math.round((rrMs * 1024) / 1000);
  return [0x16, Math.round(60_000 / rrMs), rr & 0xff, rr >> 8];
}

describe('a resting check', () => {
  it('measures resting HR and RMSSD with the strap, shows them, and "use as my resting HR" changes the profile', async () => {
    const b = await openBrowser({ viewport: { width: 390, height: 844 } });
    try {
      const page = b.context.pages()[0] ?? (await b.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await installFakeBluetooth(page);
      await page.clock.install();

      await page.goto(`${server.url}/settings`);
      // Filled only once the stored profile has been read, or the read would overwrite the form.
      await expect.poll(() => tid(page, 'profile-form').getAttribute('data-loaded')).toBe('true');
      await tid(page, 'profile-age').fill('40');
      await tid(page, 'profile-sex').selectOption('male');
      await tid(page, 'profile-weight').fill('80');
      await tid(page, 'profile-resting').fill('60');
      await tid(page, 'profile-save').click();
      await tid(page, 'profile-saved').waitFor();

      await goTo(page, '/strap');
      await tid(page, 'strap-pair').click();
      await expect.poll(() => tid(page, 'strap-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('streaming');

      await goTo(page, '/workout');
      await tid(page, 'preset-resting-check').click();
      await tid(page, 'workout-live').waitFor();
      expect(await tid(page, 'preset-resting-check-edit').count()).toBe(0);
      // From here time moves only when the test moves it: a beat a second, 1 min settle + 2 min measured.
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
      for (let s = 0; s < 185 && (await tid(page, 'summary').count()) === 0; s++) {
        // Settling from 70 to 52 bpm in the first minute, then breathing around 52 (RR 1154 ± 40 ms).
        const bpm = 52 + Math.max(0, 1 - s / 60) * 18;
        await sendPacket(page, packet(60_000 / bpm + 40 * Math.sin((2 * Math.PI * s) / 5)));
        await page.clock.runFor(1_000);
      }
      await tid(page, 'summary').waitFor();
      await expect.poll(() => tid(page, 'resting-hr').textContent()).toBe('52');
      expect(Number(await tid(page, 'resting-rmssd').textContent())).toBeGreaterThan(10);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Resting check saved');
      // Its sync record names it a resting check: what the server's wellness goes by.
      const planIds = await page.evaluate(
        () =>
          new Promise<unknown[]>((resolve, reject) => {
            const open = indexedDB.open('hrm');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const all = open.result.transaction('sessions').objectStore('sessions').getAll();
              all.onsuccess = () => resolve(all.result.map((r: { record?: { plan: { planId: string } | null } }) => r.record?.plan?.planId));
              all.onerror = () => reject(all.error);
            };
          }),
      );
      expect(planIds).toEqual(['resting-check']);

      // The check is over: time may run again (axe and navigation wait on timers).
      await page.clock.resume();
      expect(await seriousViolations(page)).toEqual([]);
      await tid(page, 'resting-use').click();
      await tid(page, 'resting-used').waitFor();

      // History shows the check with its two values.
      await tid(page, 'summary-history').click();
      await page.waitForURL((u) => u.pathname.startsWith('/history/'));
      await tid(page, 'detail-title').waitFor();
      await expect.poll(() => tid(page, 'resting-hr').textContent()).toBe('52');
      expect(Number(await tid(page, 'resting-rmssd').textContent())).toBeGreaterThan(10);

      // The profile's resting HR is the measured one now; the rest is as saved.
      await goTo(page, '/settings');
      await expect.poll(() => tid(page, 'profile-form').getAttribute('data-loaded')).toBe('true');
      await expect.poll(() => tid(page, 'profile-resting').inputValue()).toBe('52');
      expect(await tid(page, 'profile-age').inputValue()).toBe('40');
      expect(errors, 'page errors').toEqual([]);
    } finally {
      await b.close();
    }
  });
});
