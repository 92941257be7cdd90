import type { Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { openBrowser, signUpInBrowser, type TestBrowser } from '../support/browser';
import { newMember } from '../support/http-client';
import { useTestServer } from '../support/test-server';

// A coach's own saved plan in a class room (issue 12): the room plan picker offers it beside the
// presets, the room is created with it, and the gym screen's timer runs its phases.
const server = useTestServer();
const browsers: TestBrowser[] = [];
const errors: string[] = [];

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

const tid = (page: Page, id: string) => page.getByTestId(id);
const text = (page: Page, id: string) => tid(page, id).first().textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());

async function newPage(viewport: { width: number; height: number }) {
  const b = await openBrowser({ viewport });
  browsers.push(b);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

it("a coach picks their own saved plan for a room; the room's timer runs that plan", async () => {
  const coach = await newPage({ width: 390, height: 844 });
  await signUpInBrowser(coach, server.url, newMember('owncoach'));

  // A plan of the coach's own: no get-ready phase, 3 × 45 s work / 15 s rest = 2:45.
  await coach.goto(`${server.url}/workout`);
  await tid(coach, 'plan-new').click();
  await tid(coach, 'plan-name').fill('Coach Ladder');
  await tid(coach, 'plan-prepare').fill('0');
  await tid(coach, 'block-0-work').fill('45');
  await tid(coach, 'block-0-rest').fill('15');
  await tid(coach, 'block-0-rounds').fill('3');
  await tid(coach, 'plan-save').click();
  await tid(coach, 'plan-saved').waitFor();

  await tid(coach, 'nav-class').click();
  await tid(coach, 'room-name').fill('Ladder class');
  await expect.poll(() => text(coach, 'plan-own-0')).toBe('Coach Ladder 2:45');
  await tid(coach, 'plan-own-0').click();
  expect(await tid(coach, 'plan-own-0').getAttribute('aria-pressed')).toBe('true');
  expect(await tid(coach, 'plan-rounds').count()).toBe(0);
  await tid(coach, 'room-create').click();
  await coach.waitForURL(/\/rooms\/[a-z0-9]{15}$/);
  await expect.poll(() => text(coach, 'timer-next')).toBe('Coach Ladder · waiting for the coach');
  expect(await text(coach, 'timer-left')).toBe('2:45');
  // Changing the plan later offers it too.
  expect(await text(coach, 'plan-own-0')).toBe('Coach Ladder 2:45');

  // The gym screen shows the plan, then its first phase once the coach starts.
  await tid(coach, 'display-add').click();
  const pairingCode = await text(coach, 'display-pairing-code');
  const display = await newPage({ width: 1280, height: 720 });
  await display.goto(`${server.url}/display`);
  await tid(display, 'pair-code').fill(pairingCode);
  await tid(display, 'pair-submit').click();
  await expect.poll(() => tid(display, 'room-display').getAttribute('data-link')).toBe('open');
  await expect.poll(() => text(display, 'timer-next')).toBe('Coach Ladder · waiting for the coach');
  expect(await text(display, 'timer-left')).toBe('2:45');

  await tid(coach, 'timer-start').click();
  const timer = tid(display, 'room-timer');
  await expect.poll(() => timer.getAttribute('data-status')).toBe('running');
  expect(await text(display, 'timer-phase')).toBe('Work');
  expect(await text(display, 'timer-round')).toBe('Round 1 of 3');
  const left = Number(await timer.getAttribute('data-left-s'));
  expect(left).toBeGreaterThan(38);
  expect(left).toBeLessThanOrEqual(45);
  expect(await text(display, 'timer-next')).toBe('Next: Rest 1/3 · 0:15');
  expect(errors, 'page errors').toEqual([]);
});
