import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations as seriousAxeViolations } from '../support/a11y';
import { openBrowser, signUpInBrowser, untilServiceWorkerControls, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// Issue 13, phone-first navigation: the real PWA on a real sync server and PocketBase, in
// Debian's Chromium. The tab bar at phone and desktop sizes, the profile step after sign-up
// and before a first workout, the app-wide running bar, and offline shown as offline.
const server = useTestServer();
const tid = (page: Page, id: string) => page.getByTestId(id);

async function withBrowser(viewport: { width: number; height: number }, fn: (b: TestBrowser, page: Page) => Promise<void>) {
  const b = await openBrowser({ viewport });
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(b, page);
    expect(errors, 'page errors').toEqual([]);
  } finally {
    await b.close();
  }
}

/** How far the document is wider than the viewport (0: no sideways scrolling). */
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Each tab's box and whether its label is cut: all of them must be inside the viewport. */
const tabBoxes = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="tab-bar"] a')].map((a) => {
      const r = a.getBoundingClientRect();
      const label = a.querySelector<HTMLElement>('.label')!;
      return {
        id: a.dataset.testid,
        left: r.left,
        right: r.right,
        top: r.top,
        bottom: r.bottom,
        svg: a.querySelector('svg') !== null,
        label: label.textContent?.trim() ?? '',
        clipped: label.scrollWidth > label.clientWidth + 1,
      };
    }),
  );

const DESTINATIONS = [
  { id: 'nav-workout', path: '/workout', ready: 'preset-tabata' },
  { id: 'nav-history', path: '/history', ready: 'history-count' },
  { id: 'nav-class', path: '/rooms', ready: 'rooms-join-link' },
  { id: 'nav-settings', path: '/settings', ready: 'profile-form' },
  { id: 'nav-account', path: '/account', ready: 'account-email' },
];

describe('navigation', () => {
  it('reaches every destination from the bottom tab bar at 360×740 and 390×844 without sideways scrolling, and has it on top at 1920×1080', async () => {
    await withBrowser({ width: 360, height: 740 }, async (_b, page) => {
      await signUpInBrowser(page, server.url, newMember('nav'));
      for (const viewport of [
        { width: 360, height: 740 },
        { width: 390, height: 844 },
        { width: 1920, height: 1080 },
      ]) {
        await page.setViewportSize(viewport);
        const phone = viewport.width < 768;
        for (const d of DESTINATIONS) {
          await tid(page, d.id).click();
          await page.waitForURL((u) => u.pathname === d.path);
          await tid(page, d.ready).first().waitFor();
          expect(await tid(page, d.id).getAttribute('aria-current'), `${d.id} at ${viewport.width}`).toBe('page');
          const others = DESTINATIONS.filter((o) => o.id !== d.id).map((o) => tid(page, o.id).getAttribute('aria-current'));
          expect(await Promise.all(others)).toEqual([null, null, null, null]);
          expect(await horizontalOverflow(page), `sideways overflow on ${d.path} at ${viewport.width}`).toBeLessThanOrEqual(0);

          const tabs = await tabBoxes(page);
          expect(tabs.map((t) => t.id)).toEqual(DESTINATIONS.map((x) => x.id));
          for (const t of tabs) {
            expect(t.left, `${t.id} left`).toBeGreaterThanOrEqual(0);
            expect(t.right, `${t.id} right`).toBeLessThanOrEqual(viewport.width);
            expect(t.svg, `${t.id} has an SVG icon`).toBe(true);
            expect(t.label, `${t.id} label`).toMatch(/\w/);
            expect(t.clipped, `${t.id} label clipped`).toBe(false);
            if (phone) {
              // A bottom bar: the tabs touch the bottom edge of the screen.
              expect(viewport.height - t.bottom, `${t.id} at the bottom`).toBeLessThanOrEqual(1);
              expect(t.bottom - t.top, `${t.id} tap height`).toBeGreaterThanOrEqual(44);
            } else {
              expect(t.top, `${t.id} at the top`).toBeLessThan(100);
            }
          }
        }
        // The tab bar passes axe (checked on the last destination of each size).
        expect(await seriousAxeViolations(page)).toEqual([]);
        // Home is the brand, the strap its chip.
        await page.locator('a.brand').click();
        await page.waitForURL((u) => u.pathname === '/');
        await tid(page, 'nav-strap').click();
        await page.waitForURL((u) => u.pathname === '/strap');
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      }
    });
  });
});

describe('the profile step', () => {
  it('follows sign-up, says what the numbers are for, and a skip is not asked again on that account', async () => {
    await withBrowser({ width: 390, height: 844 }, async (_b, page) => {
      await signUpInBrowser(page, server.url, newMember('skip'));
      await tid(page, 'profile-step').waitFor();
      expect(await tid(page, 'profile-step').getAttribute('data-when')).toBe('signup');
      const why = await tid(page, 'profile-step-why').textContent();
      expect(why).toMatch(/Calories need your weight, age and sex/);
      expect(why).toMatch(/zones need your maximum heart rate/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await tid(page, 'profile-step-skip').click();
      await expect.poll(() => tid(page, 'profile-step-slot').getAttribute('data-state')).toBe('skipped');
      expect(await tid(page, 'profile-step').count()).toBe(0);

      // Not on the home screen after a reload, nor before the first workout.
      await page.reload();
      await tid(page, 'home-greeting').waitFor();
      await expect.poll(() => tid(page, 'profile-step-slot').getAttribute('data-state')).toBe('skipped');
      await tid(page, 'nav-workout').click();
      await tid(page, 'preset-tabata').waitFor();
      await expect.poll(() => tid(page, 'profile-step-slot').getAttribute('data-state')).toBe('skipped');
      expect(await tid(page, 'profile-step').count()).toBe(0);
    });
  });

  it('saves the profile that Settings shows', async () => {
    await withBrowser({ width: 390, height: 844 }, async (_b, page) => {
      await signUpInBrowser(page, server.url, newMember('profile'));
      await tid(page, 'profile-step').waitFor();
      await tid(page, 'profile-step-age').fill('41');
      await tid(page, 'profile-step-sex').selectOption('male');
      await tid(page, 'profile-step-weight').fill('78.5');
      await tid(page, 'profile-step-resting').fill('52');
      await tid(page, 'profile-step-maxhr-known').check();
      await tid(page, 'profile-step-maxhr').fill('188');
      await tid(page, 'profile-step-save').click();
      await tid(page, 'profile-step-saved').waitFor();

      await tid(page, 'nav-settings').click();
      await expect.poll(() => tid(page, 'profile-age').inputValue()).toBe('41');
      expect(await tid(page, 'profile-sex').inputValue()).toBe('male');
      expect(await tid(page, 'profile-weight').inputValue()).toBe('78.5');
      expect(await tid(page, 'profile-resting').inputValue()).toBe('52');
      expect(await tid(page, 'profile-maxhr-measured').isChecked()).toBe(true);
      expect(await tid(page, 'profile-maxhr').inputValue()).toBe('188');

      // With a profile, the first workout does not ask.
      await tid(page, 'nav-workout').click();
      await tid(page, 'preset-tabata').waitFor();
      await expect.poll(() => tid(page, 'profile-step-slot').getAttribute('data-state')).toBe('has-profile');
    });
  });
});

describe('a workout running', () => {
  it('shows on History as running with the phase, time and heart rate, and one tap returns to the live screen', async () => {
    await withBrowser({ width: 390, height: 844 }, async (_b, page) => {
      // A guest who never set a profile is asked before the first workout, and may skip.
      await page.goto(server.url + '/');
      await tid(page, 'workout-card').click();
      await tid(page, 'profile-step').waitFor();
      expect(await tid(page, 'profile-step').getAttribute('data-when')).toBe('workout');
      await tid(page, 'profile-step-skip').click();
      await expect.poll(() => tid(page, 'profile-step-slot').getAttribute('data-state')).toBe('skipped');

      await tid(page, 'strap-simulated').click();
      await tid(page, 'preset-tabata').click();
      await tid(page, 'workout-live').waitFor();
      expect(await tid(page, 'running-bar').count()).toBe(0); // not on the live screen itself
      expect(await tid(page, 'profile-step').count()).toBe(0);

      // Away from the live screen (in the app, without a reload that would cut the workout off).
      await page.locator('a.brand').click();
      await page.waitForURL((u) => u.pathname === '/');
      await tid(page, 'running-bar').waitFor();
      await tid(page, 'nav-history').click();
      await page.waitForURL((u) => u.pathname === '/history');
      const bar = tid(page, 'running-bar');
      await bar.waitFor();
      expect(await bar.getAttribute('data-state')).toBe('running');
      await expect.poll(() => tid(page, 'running-phase').textContent()).toMatch(/Get ready|Work · round 1 of 8/);
      await expect.poll(() => tid(page, 'running-bpm').textContent(), { timeout: 10_000 }).toMatch(/^\d{2,3}$/);
      // The time moves (a phase countdown, not a frozen figure).
      const first = await tid(page, 'running-time').textContent();
      await expect.poll(() => tid(page, 'running-time').textContent()).not.toBe(first);
      // Above the tab bar, inside the screen.
      const box = (await bar.boundingBox())!;
      const tabs = (await tid(page, 'tab-bar').boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(tabs.y + 1);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAxeViolations(page)).toEqual([]);

      // History lists it as running, not "Unfinished" with a frozen time.
      const row = page.locator('[data-testid="history-item"][data-running="true"]');
      await row.waitFor();
      expect(await tid(page, 'history-running').textContent()).toBe('Running now');
      expect(await page.locator('[data-testid="history-list"]').textContent()).not.toMatch(/Unfinished/);
      expect(await row.getAttribute('href')).toBe('/workout');

      // One tap back.
      await bar.click();
      await page.waitForURL((u) => u.pathname === '/workout');
      await tid(page, 'workout-live').waitFor();
      expect(await tid(page, 'running-bar').count()).toBe(0);
    });
  });
});

describe('offline', () => {
  it('is shown calmly with the workouts waiting to sync, on screen on a phone, and home keeps the member', async () => {
    await withBrowser({ width: 390, height: 844 }, async (b, page) => {
      const m = newMember('offline');
      await signUpInBrowser(page, server.url, m);
      await tid(page, 'profile-step-skip').click();
      await untilServiceWorkerControls(page);
      await tid(page, 'home-greeting').waitFor();

      // Offline, a workout is recorded: it waits to sync.
      await b.context.setOffline(true);
      await tid(page, 'nav-workout').click();
      await tid(page, 'preset-stopwatch').click();
      await tid(page, 'workout-live').waitFor();
      await tid(page, 'btn-stop').click();
      await tid(page, 'btn-stop-confirm').click();
      await tid(page, 'btn-save-now').click();
      await tid(page, 'summary').waitFor();

      // A start without the network: the member is still greeted, and the strip says what waits.
      await page.goto(server.url + '/');
      const greeting = tid(page, 'home-greeting');
      await greeting.waitFor();
      expect(await greeting.textContent()).toBe(`Hi, ${m.name.split(' ')[0]}`);
      expect(await greeting.getAttribute('data-offline')).toBe('true');
      expect(await tid(page, 'home-title').count()).toBe(0);
      expect(await tid(page, 'home-signup').count()).toBe(0);
      expect(await tid(page, 'home-account-link').count()).toBe(1);

      const banner = tid(page, 'offline-banner');
      await banner.waitFor();
      await expect.poll(() => tid(page, 'offline-waiting').textContent()).toBe('1 workout will sync when you\'re back online.');
      expect(await banner.getAttribute('data-waiting-workouts')).toBe('1');
      const text = (await banner.textContent()) ?? '';
      expect(text).not.toMatch(/problem|error|fail/i);
      // Calm: not the danger colour, and not a live alert.
      expect(await banner.getAttribute('role')).toBe('status');
      const colours = await banner.evaluate((el) => {
        const css = getComputedStyle(document.documentElement);
        return { bg: getComputedStyle(el).backgroundColor, danger: css.getPropertyValue('--danger').trim(), dangerSoft: css.getPropertyValue('--danger-soft').trim() };
      });
      const hex = (c: string) => c.replace(/^#/, '').toLowerCase();
      const rgb = colours.bg.match(/\d+/g)!.slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('');
      expect(rgb).not.toBe(hex(colours.danger));
      expect(rgb).not.toBe(hex(colours.dangerSoft));
      // On screen on a phone, also after scrolling, and no "Sync problem" anywhere.
      const inView = async () => {
        const r = (await banner.boundingBox())!;
        return r.y >= 0 && r.y + r.height <= 844 && r.x >= 0 && r.x + r.width <= 390;
      };
      expect(await inView()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await tid(page, 'nav-settings').click();
      await tid(page, 'profile-form').waitFor();
      await page.mouse.wheel(0, 2000);
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await expect.poll(inView).toBe(true);
      expect(await tid(page, 'sync-badge').count()).toBe(0);
      expect(await page.locator('body').textContent()).not.toMatch(/Sync problem/);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      // Back online, the workout syncs and the strip goes.
      await b.context.setOffline(false);
      // Chromium here keeps navigator.onLine true offline (no 'online' event): the strip offers a retry.
      if ((await tid(page, 'offline-retry').count()) > 0) await tid(page, 'offline-retry').click();
      await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
    });
  });
});
